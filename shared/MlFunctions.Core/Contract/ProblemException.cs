using MlFunctions.Core.Json;

namespace MlFunctions.Core.Contract;

/// <summary>Thrown for a request the function refuses; the pipeline turns it into problem+json.</summary>
public sealed class ProblemException(ProblemType type, string detail, string? parameter = null, long? record = null) : Exception(detail)
{
    public ProblemType Type { get; } = type;

    public string? Parameter { get; } = parameter;

    public long? Record { get; } = record;

    public Problem ToProblem() => new(Type.Uri, Type.Title, Type.Status, Message, Parameter, Record);

    public FunctionResponse ToResponse() => Render(ToProblem());

    /// <summary>Serialises a problem as an application/problem+json response.</summary>
    public static FunctionResponse Render(Problem problem) => new()
    {
        Status = problem.Status,
        ContentType = "application/problem+json",
        Body = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(problem, CoreJsonContext.Web.Problem),
    };
}
