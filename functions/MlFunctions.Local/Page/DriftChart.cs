using System.Globalization;
using System.Text;
using MlFunctions.Core.Monitoring;
using static System.Net.WebUtility;

namespace MlFunctions.Local.Page;

/// <summary>A drift report as an inline SVG: one bar a column, its PSI on a log-like scale, the threshold as a line, drifted columns in red.</summary>
internal static class DriftChart
{
    private const int Row = 22;
    private const int Label = 170;
    private const int Width = 300;

    public static string Render(DriftReport report)
    {
        var columns = report.Columns;
        var height = (columns.Length * Row) + 10;
        // PSI runs from 0 to well over 1: a square-root scale keeps small values visible beside large ones.
        var top = Math.Max(report.PsiThreshold * 2, columns.Select(c => c.Psi).DefaultIfEmpty(0).Max());
        double X(double psi) => Label + (Width * Math.Sqrt(Math.Max(0, psi) / top));
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"drift-chart\" role=\"img\" aria-label=\"PSI per column\" width=\"{Label + Width + 60}\" height=\"{height}\" xmlns=\"http://www.w3.org/2000/svg\">");
        for (var i = 0; i < columns.Length; i++)
        {
            var column = columns[i];
            var y = 5 + (i * Row);
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"{y + 14}\" font-size=\"12\">{HtmlEncode(column.Name)}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"{(column.Drifted ? "drifted" : "steady")}\" data-column=\"{HtmlEncode(column.Name)}\" x=\"{Label}\" y=\"{y + 3}\" width=\"{Math.Max(1, X(column.Psi) - Label):F1}\" height=\"{Row - 8}\" fill=\"{(column.Drifted ? "#c0392b" : "#5b8def")}\"><title>PSI {column.Psi:F3}{(column.Ks is { } ks ? $", KS {ks:F3}" : "")}</title></rect>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{X(column.Psi) + 4:F1}\" y=\"{y + 14}\" font-size=\"11\">{column.Psi:F3}</text>");
        }
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{X(report.PsiThreshold):F1}\" x2=\"{X(report.PsiThreshold):F1}\" y1=\"0\" y2=\"{height}\" stroke=\"#333\" stroke-dasharray=\"3,3\"/>");
        svg.Append("</svg>");
        return svg.ToString();
    }
}
