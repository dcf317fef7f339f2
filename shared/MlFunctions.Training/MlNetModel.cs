using Microsoft.ML;
using MlFunctions.Core.Models;

namespace MlFunctions.Training;

/// <summary>
/// ML.NET's own scoring of a model.zip through PredictionEngine: the reference the bundle scorer is
/// held to, and the baseline of the model benchmark.
/// </summary>
public sealed class MlNetModel
{
    private readonly Func<float[], double[]> _predict;

    private MlNetModel(Func<float[], double[]> predict) => _predict = predict;

    /// <summary>Loads model.zip and creates the PredictionEngine for its task.</summary>
    public static MlNetModel Load(Stream modelZip, string task, int width, int classes)
    {
        var ml = new MLContext();
        var model = ml.Model.Load(modelZip, out _);
        switch (task)
        {
            case ModelTask.Binary:
                var binary = ml.Model.CreatePredictionEngine<BinaryRow, BinaryOutput>(model, inputSchemaDefinition: TrainingSchemas.For<BinaryRow>(width));
                return new MlNetModel(x => { var o = binary.Predict(new BinaryRow { Features = x }); return [o.Probability, o.Score]; });
            case ModelTask.Multiclass:
                var multiclass = ml.Model.CreatePredictionEngine<MulticlassRow, MulticlassOutput>(model, inputSchemaDefinition: TrainingSchemas.For<MulticlassRow>(width, classes));
                return new MlNetModel(x => [.. multiclass.Predict(new MulticlassRow { Features = x }).Score.Select(s => (double)s)]);
            default:
                var regression = ml.Model.CreatePredictionEngine<RegressionRow, RegressionOutput>(model, inputSchemaDefinition: TrainingSchemas.For<RegressionRow>(width));
                return new MlNetModel(x => [regression.Predict(new RegressionRow { Features = x }).Score]);
        }
    }

    /// <summary>Binary: [probability, raw score]; multiclass: class probabilities; regression: [value].</summary>
    public double[] Predict(float[] features) => _predict(features);
}
