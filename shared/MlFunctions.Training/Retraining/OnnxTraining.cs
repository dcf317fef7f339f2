using MlFunctions.Core.Contract;
using MlFunctions.Core.Models.Onnx;

namespace MlFunctions.Training.Retraining;

/// <summary>
/// What a worker needs for the jobs that end in ONNX models: ONNX Runtime and the registration that
/// checks and optimises a version (ML.NET imports), and the image backbone (image classifiers; null
/// where the program's output lacks it), with the limits images are read within.
/// </summary>
public sealed record OnnxTraining(IGraphRunner Runner, OnnxRegistration Registration, FunctionLimits Limits, ImageBackbone? Backbone)
{
    /// <summary>The backbone from this program's output (the Trainer's and the local host's builds put it there), when it is there.</summary>
    public static OnnxTraining FromOutput(IGraphRunner runner, OnnxRegistration registration, FunctionLimits limits) =>
        new(runner, registration, limits, ImageBackbone.FromOutput(runner));
}
