namespace MlFunctions.Core.Contract;

/// <summary>A stable problem type: clients switch on <see cref="Uri"/>, people read <see cref="Title"/>.</summary>
public sealed record ProblemType(string Slug, string Title, int Status)
{
    public string Uri => "urn:mlfunctions:problem:" + Slug;

    public static readonly ProblemType EmptyBody = new("empty-body", "The request body is empty", 400);
    public static readonly ProblemType InvalidParameter = new("invalid-parameter", "A parameter is missing or invalid", 400);
    public static readonly ProblemType BodyTooLarge = new("body-too-large", "The request body is larger than the limit", 413);
    public static readonly ProblemType ImageTooLarge = new("image-too-large", "The image has more pixels than the limit", 413);
    public static readonly ProblemType UnsupportedMediaType = new("unsupported-media-type", "The function does not take this kind of body", 415);
    public static readonly ProblemType UnsupportedImage = new("unsupported-image", "The body is not an image in a supported format", 415);
    public static readonly ProblemType ImageTruncated = new("image-truncated", "The image data ends before the image does", 422);
    public static readonly ProblemType ImageCorrupt = new("image-corrupt", "The image data cannot be decoded", 422);
    public static readonly ProblemType InvalidMultipart = new("invalid-multipart", "The multipart/form-data body cannot be read", 400);
    public static readonly ProblemType InvalidJson = new("invalid-json", "The body is not the JSON this function takes", 400);
    public static readonly ProblemType InvalidSpec = new("invalid-spec", "The feature spec is not valid", 400);
    public static readonly ProblemType InvalidRecord = new("invalid-record", "A record does not fit the feature spec", 400);
    public static readonly ProblemType InvalidScores = new("invalid-scores", "The scores cannot be formatted", 400);
    public static readonly ProblemType InvalidCsv = new("invalid-csv", "The CSV cannot be read", 400);
    public static readonly ProblemType InvalidParquet = new("invalid-parquet", "The Parquet file cannot be read", 400);
    public static readonly ProblemType MissingColumn = new("missing-column", "A column the spec needs is missing", 400);
    public static readonly ProblemType TooManyRecords = new("too-many-records", "The request has more records than the limit", 413);
    public static readonly ProblemType OverBudget = new("over-budget", "The request asks for more work than the budget allows", 413);
    public static readonly ProblemType ResponseTooLarge = new("response-too-large", "The answer would be larger than the limit", 413);
    public static readonly ProblemType ModelUnusable = new("model-unusable", "The stored model cannot be served; it needs to be trained or registered again", 409);
    public static readonly ProblemType TrainingDataChanged = new("training-data-changed", "The training data is gone or changed after it was validated", 409);
    public static readonly ProblemType Conflict = new("conflict", "Someone else changed it first; read it again and retry", 409);
    public static readonly ProblemType Forbidden = new("forbidden", "This call needs the platform's admin credential", 403);
    public static readonly ProblemType ModelNotFound = new("model-not-found", "No such model or version", 404);
    public static readonly ProblemType Unauthorized = new("unauthorized", "The request has no valid API key", 401);
    public static readonly ProblemType NotFound = new("not-found", "No function answers at this path", 404);
    public static readonly ProblemType MethodNotAllowed = new("method-not-allowed", "The function does not accept this method", 405);
    public static readonly ProblemType StoreUnavailable = new("store-unavailable", "The storage the function reads is not answering; try again later", 503);
    public static readonly ProblemType Internal = new("internal-error", "The function failed; the fault is ours", 500);

    public ProblemException With(string detail, string? parameter = null, long? record = null) => new(this, detail, parameter, record);
}
