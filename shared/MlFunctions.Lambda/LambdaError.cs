namespace MlFunctions.Lambda;

/// <summary>The body of a Runtime API error report (application/vnd.aws.lambda.error+json).</summary>
public sealed record LambdaError(string ErrorMessage, string ErrorType, string[] StackTrace);
