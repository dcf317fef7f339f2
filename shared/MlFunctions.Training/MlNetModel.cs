using Microsoft.ML;
using MlFunctions.Core.Models;

namespace MlFunctions.Training;

/// <summary>
/// ML.NET's own scoring of a model.zip through PredictionEngine: the reference the bundle scorer is
/// held to, and the baseline of the model benchmark.
/// </summary>
public sealed class MlNetModel
{
    private readonly Action<float[], double[]> _predict;

    private MlNetModel(Action<float[], double[]> predict, int outputs)
    {
        _predict = predict;
        Outputs = outputs;
    }

    /// <summary>How many values <see cref="Predict(float[], double[])"/> writes.</summary>
    public int Outputs { get; }

    /// <summary>Loads model.zip and creates the PredictionEngine for its task.</summary>
    public static MlNetModel Load(Stream modelZip, string task, int width, int classes)
    {
        var ml = new MLContext();
        var model = ml.Model.Load(modelZip, out _);
        switch (task)
        {
            // One input and one output object each, reused: the engine's own cost is what is measured.
            case ModelTask.Binary:
                var binary = ml.Model.CreatePredictionEngine<BinaryRow, BinaryOutput>(model, inputSchemaDefinition: TrainingSchemas.For<BinaryRow>(width));
                var (binaryIn, binaryOut) = (new BinaryRow(), new BinaryOutput());
                return new MlNetModel((x, into) => { binaryIn.Features = x; binary.Predict(binaryIn, ref binaryOut); into[0] = binaryOut.Probability; into[1] = binaryOut.Score; }, 2);
            case ModelTask.Multiclass:
                var multiclass = ml.Model.CreatePredictionEngine<MulticlassRow, MulticlassOutput>(model, inputSchemaDefinition: TrainingSchemas.For<MulticlassRow>(width, classes));
                var (multiclassIn, multiclassOut) = (new MulticlassRow(), new MulticlassOutput());
                return new MlNetModel((x, into) =>
                {
                    multiclassIn.Features = x;
                    multiclass.Predict(multiclassIn, ref multiclassOut);
                    for (var c = 0; c < into.Length; c++)
                    {
                        into[c] = multiclassOut.Score[c];
                    }
                }, classes);
            default:
                var regression = ml.Model.CreatePredictionEngine<RegressionRow, RegressionOutput>(model, inputSchemaDefinition: TrainingSchemas.For<RegressionRow>(width));
                var (regressionIn, regressionOut) = (new RegressionRow(), new RegressionOutput());
                return new MlNetModel((x, into) => { regressionIn.Features = x; regression.Predict(regressionIn, ref regressionOut); into[0] = regressionOut.Score; }, 1);
        }
    }

    /// <summary>Binary: [probability, raw score]; multiclass: class probabilities; regression: [value].</summary>
    public double[] Predict(float[] features)
    {
        var output = new double[Outputs];
        _predict(features, output);
        return output;
    }

    /// <summary>As <see cref="Predict(float[])"/>, into a buffer of <see cref="Outputs"/> values: no allocation.</summary>
    public void Predict(float[] features, double[] output) => _predict(features, output);
}
