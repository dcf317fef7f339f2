using MlFunctions.Core.Contract;
using MlFunctions.Core.Models.Onnx;

namespace MlFunctions.Training.Retraining;

/// <summary>What a worker needs to retrain image classifiers: the backbone, the registration that checks and optimises a version, and the limits images are read within.</summary>
public sealed record ImageTraining(ImageBackbone Backbone, OnnxRegistration Registration, FunctionLimits Limits)
{
    /// <summary>With the backbone in this program's output (the Trainer's and the local host's builds put it there), or null without it.</summary>
    public static ImageTraining? FromOutput(IGraphRunner runner, OnnxRegistration registration, FunctionLimits limits) =>
        ImageBackbone.FromOutput(runner) is { } backbone ? new ImageTraining(backbone, registration, limits) : null;
}
