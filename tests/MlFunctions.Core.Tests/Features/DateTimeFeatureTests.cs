using System.Text.Json;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Features;
using MlFunctions.Core.Tabular;

namespace MlFunctions.Core.Tests.Features;

public sealed class DateTimeFeatureTests
{
    private static FeatureSpec Propose(string csv)
    {
        using var table = CsvTable.Open(new StringReader(csv));
        return SpecProposer.Propose(table);
    }

    private static string Daily(string header, Func<DateTime, int, string> line, int days = 400) =>
        header + "\n" + string.Concat(Enumerable.Range(0, days).Select(i => line(new DateTime(2023, 1, 1).AddDays(i), i) + "\n"));

    [Fact]
    public void Iso_dates_are_proposed_as_datetime_not_ignored_as_identifiers()
    {
        var spec = Propose(Daily("date,temp", (d, i) => $"{d:yyyy-MM-dd},{i % 30}"));

        var date = spec.Columns[0];
        Assert.Equal(ColumnKind.DateTime, date.Kind);
        Assert.Null(date.Format);
        // No value has a time of day, so no hour features.
        Assert.Equal([DateValues.Year, DateValues.Month, DateValues.DayOfWeek, DateValues.DayOfYear], date.Parts!);
    }

    [Theory]
    [InlineData("yyyy-MM-ddTHH:mm:ssZ", null)]
    [InlineData("yyyy-MM-dd HH:mm", null)]
    [InlineData("M/d/yyyy H:mm", "mdy")]
    [InlineData("dd.MM.yyyy HH:mm", "dmy")]
    public void Timestamps_get_hours_and_the_format_that_reads_every_value(string written, string? format)
    {
        var spec = Propose(Daily("when,x", (d, i) => $"{d.AddHours(i % 24).ToString(written, System.Globalization.CultureInfo.InvariantCulture)},{i}"));

        Assert.Equal(ColumnKind.DateTime, spec.Columns[0].Kind);
        Assert.Equal(format, spec.Columns[0].Format);
        Assert.Contains(DateValues.Hour, spec.Columns[0].Parts!);
    }

    [Fact]
    public void Month_first_is_chosen_only_while_every_value_reads_so()
    {
        // 13/01/2023 cannot be month-first: the whole column is day-first.
        var spec = Propose("d,x\n01/02/2023,1\n13/01/2023,2\n05/06/2023,3\n");

        Assert.Equal("dmy", spec.Columns[0].Format);
    }

    [Fact]
    public void Model_years_stay_numeric_and_a_few_dates_among_words_are_not_dates()
    {
        var spec = Propose(Daily("model year,note", (d, i) => $"{70 + (i % 13)},{(i == 5 ? "2023-01-01" : "soon")}"));

        Assert.Equal(ColumnKind.Numeric, spec.Columns[0].Kind);
        Assert.NotEqual(ColumnKind.DateTime, spec.Columns[1].Kind);
    }

    private static FeatureVectorizer Fitted(string csv, ColumnSpec column)
    {
        using var table = CsvTable.Open(new StringReader(csv));
        return new FeatureVectorizer(FeatureFitter.Fit(new FeatureSpec([column]), table.Rows([column.Name])));
    }

    private static float[] Encode(FeatureVectorizer vectorizer, string json) =>
        vectorizer.Transform(new JsonRecord(JsonDocument.Parse(json).RootElement, vectorizer.Columns), 0);

    [Fact]
    public void Cyclic_parts_are_sine_and_cosine_so_december_is_next_to_january()
    {
        var vectorizer = Fitted("d\n2020-01-01\n2022-01-01\n", new ColumnSpec { Name = "d", Kind = ColumnKind.DateTime });

        Assert.Equal(["d:year", "d:month.sin", "d:month.cos", "d:dayOfWeek.sin", "d:dayOfWeek.cos", "d:dayOfYear.sin", "d:dayOfYear.cos", "d:hour.sin", "d:hour.cos"], vectorizer.Names);
        // Friday 2021-01-01 18:00 is the middle of the fitted range (year 0), month 0, day of week 5 (Friday), hour 18.
        var friday = Encode(vectorizer, """{"d": "2021-01-01T18:00:00"}""");
        Assert.Equal(0, friday[0], 2);
        Assert.Equal([0f, 1f], friday[1..3]);
        Assert.Equal((float)Math.Sin(2 * Math.PI * 5 / 7), friday[3], 5);
        Assert.Equal((float)Math.Cos(2 * Math.PI * 5 / 7), friday[4], 5);
        Assert.Equal([-1f, 0f], friday[7..9].Select(v => MathF.Round(v, 5)));
        var december = Encode(vectorizer, """{"d": "2020-12-31"}""");
        var june = Encode(vectorizer, """{"d": "2020-06-30"}""");
        float Distance(float[] a) => MathF.Abs(a[5] - friday[5]) + MathF.Abs(a[6] - friday[6]);
        Assert.True(Distance(december) < 0.05f && Distance(june) > 1.9f, $"{Distance(december)} {Distance(june)}");
    }

    [Fact]
    public void A_missing_date_is_imputed_and_an_offset_is_read_but_not_applied()
    {
        var vectorizer = Fitted("d\n2020-03-01\n2020-03-03\n2020-03-05\n", new ColumnSpec { Name = "d", Kind = ColumnKind.DateTime, Impute = "median" });

        Assert.Equal(Encode(vectorizer, """{"d": "2020-03-03"}"""), Encode(vectorizer, """{"d": null}"""));
        Assert.Equal(Encode(vectorizer, """{"d": "2020-03-03T09:30:00"}"""), Encode(vectorizer, """{"d": "2020-03-03T09:30:00+05:00"}"""));
    }

    [Theory]
    [InlineData("""{"d": "yesterday"}""")]
    [InlineData("""{"d": 1700000000}""")]
    [InlineData("""{"d": "2020-02-30"}""")]
    [InlineData("""{"d": {"year": 2020}}""")]
    public void A_value_that_is_not_a_date_is_a_400_naming_the_column(string json)
    {
        var vectorizer = Fitted("d\n2020-03-01\n2020-03-03\n", new ColumnSpec { Name = "d", Kind = ColumnKind.DateTime });

        var problem = Assert.Throws<ProblemException>(() => Encode(vectorizer, json));

        Assert.Equal(400, problem.Type.Status);
        Assert.Equal("d", problem.Parameter);
    }

    [Theory]
    [InlineData("""{"name": "d", "kind": "datetime", "format": "abc"}""", "format")]
    [InlineData("""{"name": "d", "kind": "datetime", "format": ""}""", "format")]
    [InlineData("""{"name": "d", "kind": "datetime", "parts": []}""", "parts")]
    [InlineData("""{"name": "d", "kind": "datetime", "parts": ["month", "month"]}""", "parts")]
    [InlineData("""{"name": "d", "kind": "datetime", "parts": ["week"]}""", "parts")]
    [InlineData("""{"name": "d", "kind": "datetime", "impute": "constant", "constant": 0}""", "impute")]
    [InlineData("""{"name": "d", "kind": "datetime", "fitted": {"fill": 1e308, "mean": 1e308, "std": "NaN"}}""", "fitted")]
    public void Bad_datetime_options_are_refused_naming_the_option(string column, string option)
    {
        var problem = Assert.ThrowsAny<ProblemException>(() => FeatureSpecJson.Read($$"""{"columns": [{{column}}]}""").Validate(fitted: false));

        Assert.EndsWith("." + option, problem.Parameter);
    }

    [Fact]
    public void A_custom_format_reads_exactly_that_format()
    {
        var vectorizer = Fitted("d\n20200301 0930\n20200303 1745\n", new ColumnSpec { Name = "d", Kind = ColumnKind.DateTime, Format = "yyyyMMdd HHmm", Parts = ["hour"] });

        Assert.Equal(["d:hour.sin", "d:hour.cos"], vectorizer.Names);
        Assert.Equal(-1, Encode(vectorizer, """{"d": "20200301 1800"}""")[0], 5);
        Assert.Throws<ProblemException>(() => Encode(vectorizer, """{"d": "2020-03-01"}"""));
    }

    [Fact]
    public void Fitting_a_column_that_is_not_all_dates_names_the_row()
    {
        using var table = CsvTable.Open(new StringReader("d\n2020-01-01\nsoon\n"));

        var problem = Assert.Throws<ProblemException>(() => FeatureFitter.Fit(new FeatureSpec([new ColumnSpec { Name = "d", Kind = ColumnKind.DateTime }]), table.Rows(["d"])));

        Assert.Contains("Row 1", problem.Message);
        Assert.Equal("d", problem.Parameter);
    }
}
