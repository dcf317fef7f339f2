using Microsoft.AspNetCore.Routing.Template;
using MlFunctions.Core.Catalog;

namespace MlFunctions.Gcp;

/// <summary>
/// Every path goes to the one target function (the Functions Framework contract). Route values, such
/// as predict's model, come from the catalog route (/api/predict/{model}) or from the part after the
/// function's own prefix (/{model}), so both /api/predict/penguins and /penguins work.
/// </summary>
internal sealed class TargetRoute(FunctionDescriptor function)
{
    private readonly TemplateMatcher _full = Matcher(function.Route);
    private readonly TemplateMatcher _relative = Matcher(Relative(function.Route));

    public IReadOnlyDictionary<string, string> Values(PathString path)
    {
        var values = new RouteValueDictionary();
        if (!_full.TryMatch(path, values))
        {
            values.Clear();
            _relative.TryMatch(path, values);
        }
        return values.Where(v => v.Value is not null).ToDictionary(v => v.Key, v => v.Value!.ToString()!, StringComparer.OrdinalIgnoreCase);
    }

    private static TemplateMatcher Matcher(string template) => new(TemplateParser.Parse(template.TrimStart('/')), new RouteValueDictionary());

    /// <summary>"/api/predict/{model}" to "/{model}": the segments after the last literal one.</summary>
    private static string Relative(string route)
    {
        var segments = route.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return "/" + string.Join('/', segments.SkipWhile(s => !s.StartsWith('{')));
    }
}
