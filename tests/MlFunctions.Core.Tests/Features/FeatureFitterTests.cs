using MlFunctions.Core.Contract;
using MlFunctions.Core.Features;
using MlFunctions.Core.Tabular;
using MlFunctions.Testing;

namespace MlFunctions.Core.Tests.Features;

public sealed class FeatureFitterTests
{
    private static FeatureSpec FitPenguins(FeatureSpec? spec = null)
    {
        using var proposal = CsvTable.Open(RepoPaths.Penguins);
        spec ??= SpecProposer.Propose(proposal);
        using var table = CsvTable.Open(RepoPaths.Penguins);
        return FeatureFitter.Fit(spec, table.Rows(spec.Columns.Select(c => c.Name).ToArray()));
    }

    [Fact]
    public void Penguins_get_a_sensible_proposal()
    {
        using var table = CsvTable.Open(RepoPaths.Penguins);
        var spec = SpecProposer.Propose(table);

        var kinds = spec.Columns.ToDictionary(c => c.Name, c => c.Kind);
        Assert.Equal(ColumnKind.Categorical, kinds["Species"]);
        Assert.Equal(ColumnKind.Categorical, kinds["Island"]);
        Assert.Equal(ColumnKind.Categorical, kinds["Sex"]);
        foreach (var measurement in new[] { "Beak Length (mm)", "Beak Depth (mm)", "Flipper Length (mm)", "Body Mass (g)" })
        {
            Assert.Equal(ColumnKind.Numeric, kinds[measurement]);
        }
    }

    [Fact]
    public void Fitting_penguins_imputes_the_measurements_and_learns_the_categories()
    {
        var fitted = FitPenguins().Columns.ToDictionary(c => c.Name);

        Assert.Equal(["Adelie", "Chinstrap", "Gentoo"], fitted["Species"].Fitted!.Categories!);
        // One penguin's Sex is "." in the file (SAS's missing value): missing, not a third sex.
        Assert.Equal(["MALE", "FEMALE"], fitted["Sex"].Fitted!.Categories!.Order(StringComparer.Ordinal).Reverse());
        Assert.Equal(File.ReadLines(RepoPaths.Penguins).Skip(1).Count(l => l.Split(',')[^1] is "" or "NA" or "."), fitted["Sex"].Fitted!.Missing);
        var beak = fitted["Beak Length (mm)"].Fitted!;
        Assert.Equal(2, beak.Missing);
        Assert.Equal(342, beak.Count);
        // Computed independently from the file, skipping the two empty rows.
        var values = File.ReadLines(RepoPaths.Penguins).Skip(1)
            .Select(l => l.Split(',')[2]).Where(v => v.Length > 0).Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).Order().ToArray();
        Assert.Equal(values.Average(), beak.Mean!.Value, 9);
        Assert.Equal(Math.Sqrt(values.Sum(v => Math.Pow(v - values.Average(), 2)) / (values.Length - 1)), beak.Std!.Value, 9);
        Assert.Equal((values[170] + values[171]) / 2, beak.Fill); // median imputation, as proposed
    }

    [Fact]
    public void A_value_that_is_not_a_number_in_a_numeric_column_names_the_row_and_column()
    {
        var spec = new FeatureSpec([new ColumnSpec { Name = "x", Kind = ColumnKind.Numeric }]);
        using var table = CsvTable.Open(new StringReader("x\n1\n2\nabc\n"));

        var problem = Assert.Throws<ProblemException>(() => FeatureFitter.Fit(spec, table.Rows(["x"])));

        Assert.Contains("Row 2", problem.Message);
        Assert.Equal("x", problem.Parameter);
    }

    [Fact]
    public void A_numeric_column_with_every_value_missing_is_a_400_not_a_crash()
    {
        var spec = new FeatureSpec([new ColumnSpec { Name = "x", Kind = ColumnKind.Numeric }]);
        using var table = CsvTable.Open(new StringReader("x\nNA\n\n"));

        Assert.Equal(400, Assert.Throws<ProblemException>(() => FeatureFitter.Fit(spec, table.Rows(["x"]))).Type.Status);
    }

    [Fact]
    public void Frequent_categories_survive_a_flood_of_distinct_values_in_bounded_memory()
    {
        var spec = new FeatureSpec([new ColumnSpec { Name = "c", Kind = ColumnKind.Categorical, MaxCategories = 3 }]);
        var rows = Enumerable.Range(0, 300_000).Select(i => (IRow)new OneCell(i % 10 == 0 ? "common" : i % 10 == 1 ? "usual" : i % 10 == 2 ? "frequent" : $"rare-{i}"));

        var categories = FeatureFitter.Fit(spec, rows).Columns[0].Fitted!.Categories;

        Assert.Equal(["common", "frequent", "usual"], categories!);
    }

    [Fact]
    public void The_median_is_exact_for_small_columns_and_close_for_large_ones()
    {
        var spec = new FeatureSpec([new ColumnSpec { Name = "x", Kind = ColumnKind.Numeric, Impute = "median" }]);
        Assert.Equal(3, FeatureFitter.Fit(spec, new[] { 5.0, 1, 3, 4, 2 }.Select(v => (IRow)new OneCell(v))).Columns[0].Fitted!.Fill);

        var large = Enumerable.Range(0, 200_001).Select(i => (IRow)new OneCell((i * 7919L % 200_001) / 1000.0));
        Assert.InRange(FeatureFitter.Fit(spec, large).Columns[0].Fitted!.Fill!.Value, 98, 102);
    }

    private sealed class OneCell(Cell cell) : IRow
    {
        public OneCell(string text) : this(new Cell(CellType.Text, Text: text)) { }

        public OneCell(double number) : this(new Cell(CellType.Number, number)) { }

        public Cell this[int column] => cell;
    }
}
