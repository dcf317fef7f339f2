using MlFunctions.Core.Contract;

namespace MlFunctions.Core.Catalog;

/// <summary>One catalog entry: how a function is reached and what it does.</summary>
/// <param name="Route">The route template below the host, such as <c>/api/resize</c>.</param>
public sealed record FunctionDescriptor(string Name, string Method, string Route, string Summary, IHttpFunction Handler);
