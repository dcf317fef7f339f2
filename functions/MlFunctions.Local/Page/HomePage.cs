using System.Globalization;
using System.Text;
using MlFunctions.Core.Catalog;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Json;
using MlFunctions.Core.Models.Registry;
using MlFunctions.Core.Monitoring;
using MlFunctions.Core.Storage;
using static System.Net.WebUtility;

namespace MlFunctions.Local.Page;

/// <summary>
/// GET / for a browser: one server-rendered page with the functions (a form to try resize, tensor and
/// predict), the models (versions, metrics, aliases, history), their jobs, and drift per column as small
/// SVG charts. Everything is inline (no CDN: users may be offline); every value from the bucket is
/// HTML-encoded. Clients asking for JSON still get the catalog.
/// </summary>
internal sealed class HomePage(FunctionCatalog catalog, FunctionPipeline pipeline, IObjectStore bucket)
{
    private const int VersionsShown = 10;
    private readonly ModelRegistry _registry = new(new Core.Models.Store.ObjectModelStore(bucket));

    /// <summary>Whether the request wants the page: a browser's Accept names text/html before any JSON.</summary>
    public static bool Wanted(string? accept) =>
        accept is not null && accept.Contains("text/html", StringComparison.OrdinalIgnoreCase) && !accept.StartsWith("application/json", StringComparison.OrdinalIgnoreCase);

    public async Task<string> RenderAsync(CancellationToken cancellationToken)
    {
        var html = new StringBuilder();
        html.Append(PageAssets.Head);
        html.Append("<h1>MlFunctions</h1><p class=\"muted\">Every function of this host, its models, their jobs and drift. The same JSON is at <code>Accept: application/json</code>.</p>");
        Functions(html);
        html.Append(PageAssets.Forms);
        var models = await _registry.ListAsync(cancellationToken).ConfigureAwait(false);
        html.Append("<h2 id=\"models\">Models</h2>");
        if (models.Models.Length == 0)
        {
            html.Append("<p>No models yet.</p>");
        }
        foreach (var summary in models.Models)
        {
            await ModelAsync(html, summary.Model, cancellationToken).ConfigureAwait(false);
        }
        html.Append(PageAssets.Script).Append("</body></html>");
        return html.ToString();
    }

    private void Functions(StringBuilder html)
    {
        html.Append("<h2 id=\"functions\">Functions</h2><table class=\"catalog\"><tr><th>name</th><th>call</th><th>what it does</th></tr>");
        foreach (var function in catalog.Functions)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{HtmlEncode(function.Name)}{(function.Admin ? " <span class=\"badge\">admin</span>" : "")}</td><td><code>{function.Method} {HtmlEncode(function.Route)}</code></td><td>{HtmlEncode(function.Summary)}</td></tr>");
        }
        html.Append("</table>");
    }

    private async Task ModelAsync(StringBuilder html, string model, CancellationToken cancellationToken)
    {
        ModelDetails details;
        try
        {
            details = await _registry.DescribeAsync(model, VersionsShown, cancellationToken).ConfigureAwait(false);
        }
        catch (ProblemException)
        {
            return;
        }
        var name = HtmlEncode(model);
        html.Append(CultureInfo.InvariantCulture, $"<section class=\"model\" data-model=\"{name}\"><h3>{name} <span class=\"muted\">{HtmlEncode(details.Task ?? "")}</span></h3>");
        html.Append("<p>").AppendJoin(" ", details.Aliases.Select(a => $"<span class=\"badge\">{HtmlEncode(a.Key)}: {HtmlEncode(a.Value)}</span>")).Append("</p>");
        html.Append("<table class=\"versions\"><tr><th>version</th><th>kind</th><th>trainer</th><th>metrics</th><th>rows</th><th>made by</th><th>aliases</th></tr>");
        foreach (var version in details.Versions)
        {
            var metrics = string.Join(", ", (version.Metrics ?? new Dictionary<string, double>()).Select(m => $"{m.Key} {m.Value.ToString("0.####", CultureInfo.InvariantCulture)}"));
            var origin = version.Origin is { } o ? $"{(o.Job is null ? "" : "job " + o.Job[..Math.Min(8, o.Job.Length)] + " from ")}{o.Source}" : "";
            html.Append(CultureInfo.InvariantCulture, $"<tr><td><code>{HtmlEncode(version.Version)}</code></td><td>{HtmlEncode(version.Kind)}</td><td>{HtmlEncode(version.Trainer ?? "")}</td><td>{HtmlEncode(metrics)}</td><td>{version.TrainRows}</td><td>{HtmlEncode(origin)}</td><td>{HtmlEncode(string.Join(", ", version.Aliases))}</td></tr>");
        }
        html.Append("</table>");
        if (details.History.Length > 0)
        {
            html.Append("<details><summary>History of champions</summary><ol class=\"history\">");
            foreach (var change in details.History)
            {
                html.Append(CultureInfo.InvariantCulture, $"<li>#{change.Sequence} {change.At:yyyy-MM-dd HH:mm:ss}: <code>{HtmlEncode(change.Version)}</code> by {HtmlEncode(change.By)}{(change.Reason is null ? "" : " — " + HtmlEncode(change.Reason))}</li>");
            }
            html.Append("</ol></details>");
        }
        await JobsAsync(html, model, cancellationToken).ConfigureAwait(false);
        await DriftAsync(html, model, cancellationToken).ConfigureAwait(false);
        html.Append("</section>");
    }

    private async Task JobsAsync(StringBuilder html, string model, CancellationToken cancellationToken)
    {
        var jobs = catalog.Find("jobs")!;
        var answer = await pipeline.InvokeAsync(jobs, new FunctionRequest { Method = "GET", Path = jobs.Route, RouteValues = FunctionRequest.Map([KeyValuePair.Create("model", model)]) }, cancellationToken).ConfigureAwait(false);
        if (answer.Status != 200 || System.Text.Json.JsonSerializer.Deserialize(answer.Body.Span, CoreJsonContext.Web.JobStatusArray) is not { Length: > 0 } statuses)
        {
            return;
        }
        html.Append("<details open><summary>Jobs</summary><table class=\"jobs\"><tr><th>job</th><th>state</th><th>source</th><th>why, and the validation report</th></tr>");
        foreach (var status in statuses.Take(20))
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td><code>{HtmlEncode(status.JobId)}</code></td><td class=\"state\">{HtmlEncode(status.State)}</td><td>{HtmlEncode(status.Source)}</td><td>{HtmlEncode(status.Reason ?? "")}{(status.Report is { Length: > 0 } report ? $"<details><summary>report</summary><pre>{HtmlEncode(report)}</pre></details>" : "")}</td></tr>");
        }
        html.Append("</table></details>");
    }

    /// <summary>The newest drift report: per column a bar of its PSI against the threshold.</summary>
    private async Task DriftAsync(StringBuilder html, string model, CancellationToken cancellationToken)
    {
        var report = (await DriftMonitor.NewestAsync(bucket, model, cancellationToken).ConfigureAwait(false))?.Report;
        if (report is null)
        {
            return;
        }
        html.Append(CultureInfo.InvariantCulture, $"<h4>Drift <span class=\"muted\">{report.Records:N0} captured records, {report.At:yyyy-MM-dd HH:mm} UTC, PSI threshold {report.PsiThreshold}</span></h4>");
        html.Append(DriftChart.Render(report));
    }
}
