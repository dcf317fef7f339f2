namespace MlFunctions.Core.Imaging;

/// <summary>How an image is fitted to the requested box.</summary>
public enum FitMode
{
    /// <summary>Scale to fit inside the box, keeping the aspect ratio; the output may be smaller than the box.</summary>
    Contain,

    /// <summary>Scale to fill the box, keeping the aspect ratio, and crop the overflow around the centre.</summary>
    Cover,

    /// <summary>Stretch to the box exactly.</summary>
    Fill,

    /// <summary>Contain, then pad to the box exactly with the background colour.</summary>
    Pad,
}
