using Microsoft.ML;
using MlFunctions.Core.Models.Bundle;

namespace MlFunctions.Training;

/// <summary>What training one task produced: ML.NET's model, its parameters as data, and holdout metrics.</summary>
internal sealed record TaskOutcome(ITransformer Model, DataViewSchema Schema, string Trainer, ScoringModel Scoring, string[]? Labels, Dictionary<string, double> Metrics);

/// <summary>The rows of a split, vectorised, with their raw labels.</summary>
internal sealed record TaskData(float[][] TrainFeatures, string[] TrainLabels, float[][] TestFeatures, string[] TestLabels, int Width, int Seed);
