using MlFunctions.Core.Contract;

namespace MlFunctions.Core.Catalog;

/// <summary>One catalog entry: how a function is reached and what it does.</summary>
/// <param name="Route">The route template below the host, such as <c>/api/resize</c>.</param>
/// <param name="Admin">
/// A write to the registry: it needs the platform's admin credential (the local host's API key when one
/// is set; IAM on Lambda; the admin (master) key on Azure; Cloud Run IAM for an admins-only service on Google).
/// </param>
public sealed record FunctionDescriptor(string Name, string Method, string Route, string Summary, IHttpFunction Handler, bool Admin = false);
