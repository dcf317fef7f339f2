namespace MlFunctions.Core.Models;

/// <summary>A model loaded for serving, whatever its kind: a bundle of ours (<see cref="BundleScorer"/>) or an ONNX graph.</summary>
public abstract class ServedModel
{
    public abstract string Name { get; }

    public abstract string Version { get; }

    public abstract string Task { get; }
}
