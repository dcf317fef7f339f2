namespace MlFunctions.Core.Contract;

/// <summary>A function served over HTTP: one request in, one response out.</summary>
public interface IHttpFunction
{
    Task<FunctionResponse> HandleAsync(FunctionRequest request, CancellationToken cancellationToken);
}
