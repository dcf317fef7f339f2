using MlFunctions.Core.Contract;
using MlFunctions.Core.Tabular;
using MlFunctions.Testing;
using Parquet;
using Parquet.Schema;

namespace MlFunctions.Core.Tests.Tabular;

public sealed class ParquetTableTests
{
    private static string Show(Cell cell) => cell.Type switch
    {
        CellType.Number => cell.Number.ToString(System.Globalization.CultureInfo.InvariantCulture),
        CellType.Text => cell.Text!,
        CellType.Bool => cell.Number != 0 ? "true" : "false",
        _ => "<" + cell.Type.ToString().ToLowerInvariant() + ">",
    };

    private static List<string[]> Read(ITable table, params string[] columns) =>
        [.. table.Rows(columns).Select(row => columns.Select((_, i) => Show(row[i])).ToArray())];

    [Fact]
    public void The_arrow_rs_penguins_read_as_their_csv_does_across_row_groups()
    {
        using var parquet = TableFiles.Open(RepoPaths.PenguinsParquet);
        using var csv = TableFiles.Open(RepoPaths.Penguins);
        var columns = csv.Header.ToArray();

        Assert.Equal(columns, parquet.Header);
        var fromParquet = Read(parquet, columns);
        var fromCsv = csv.Rows(columns).Select(row => columns.Select((_, i) => row[i].TryNumber(out var n) ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : row[i].IsMissing ? "<missing>" : row[i].Text!).ToArray()).ToList();
        Assert.Equal(344, fromParquet.Count);
        Assert.Equal(fromCsv, fromParquet);
        Assert.Equal(344, parquet.RowsRead);
    }

    [Fact]
    public async Task Every_scalar_type_maps_to_a_cell_and_nested_columns_are_not_columns()
    {
        var path = Path.Combine(Path.GetTempPath(), $"mlf-types-{Guid.NewGuid():N}.parquet");
        try
        {
            var schema = new ParquetSchema(
                new DataField<int>("count"), new DataField<long?>("big"), new DataField<float>("ratio"), new DataField<decimal>("price"),
                new DataField<bool?>("member"), new DataField<string>("name"), new DataField<DateTime>("seen"), new DataField<IEnumerable<int>>("tags"));
            await using (var file = File.Create(path))
            await using (var writer = await ParquetWriter.CreateAsync(schema, file))
            using (var group = writer.CreateRowGroup())
            {
                await group.WriteAsync<int>(schema.DataFields[0], new[] { 1, -2, 3 });
                await group.WriteAsync<long>(schema.DataFields[1], new long?[] { 1L << 40, null, 0 });
                await group.WriteAsync<float>(schema.DataFields[2], new[] { 0.5f, float.NaN, float.PositiveInfinity });
                await group.WriteAsync<decimal>(schema.DataFields[3], new[] { 1.25m, 0m, -3m });
                await group.WriteAsync<bool>(schema.DataFields[4], new bool?[] { true, null, false });
                await group.WriteAsync(schema.DataFields[5], new[] { "Ann", "", null! });
                await group.WriteAsync<DateTime>(schema.DataFields[6], new[] { new DateTime(2026, 12, 3, 16, 0, 0, DateTimeKind.Utc), DateTime.UnixEpoch, DateTime.UnixEpoch });
                await group.WriteAsync<int>(schema.DataFields[7], new[] { 1, 2, 3, 4 }, new[] { 0, 1, 0, 0 });
            }

            using var table = TableFiles.Open(path);
            string[] columns = ["count", "big", "ratio", "price", "member", "name", "seen"];

            Assert.Equal(columns, table.Header);
            var rows = Read(table, columns).Select(r => string.Join(" | ", r)).ToArray();
            Assert.Equal("1 | 1099511627776 | 0.5 | 1.25 | true | Ann | 2026-12-03T16:00:00.0000000", rows[0]);
            Assert.Equal("-2 | <missing> | <missing> | 0 | <missing> | <missing> | 1970-01-01T00:00:00.0000000", rows[1]);
            var error = Assert.Throws<ProblemException>(() => TableFiles.Open(path).Rows(["tags"]).ToList());
            Assert.Equal(ProblemType.MissingColumn, error.Type);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_row_group_over_the_cell_limit_is_refused_before_it_is_read_and_says_how_to_fix_it()
    {
        using var table = ParquetTable.Open(File.OpenRead(RepoPaths.PenguinsParquet), maxRowGroupCells: 500);

        var error = Assert.Throws<ProblemException>(() => table.Rows(["Species", "Island", "Sex", "Body Mass (g)"]).ToList());

        Assert.Equal(ProblemType.InvalidParquet, error.Type);
        Assert.Contains("Row group 1 holds 128 rows", error.Message, StringComparison.Ordinal);
        Assert.Contains("row_group_size", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_column_the_file_lacks_is_named_with_the_columns_it_has()
    {
        using var table = TableFiles.Open(RepoPaths.PenguinsParquet);

        var error = Assert.Throws<ProblemException>(() => table.Rows(["Species", "Wing Span"]).ToList());

        Assert.Equal(ProblemType.MissingColumn, error.Type);
        Assert.Contains("'Wing Span'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Beak Length (mm)", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Hostile files: the sample with bytes overwritten (footer lengths, Thrift counts, page headers,
    /// compressed pages) is read whole or refused with invalid-parquet; nothing else may escape.
    /// </summary>
    [Fact]
    public void Damaged_files_are_read_or_refused_as_invalid_parquet_never_anything_else()
    {
        var original = File.ReadAllBytes(RepoPaths.PenguinsParquet);
        var random = new Random(2026);
        var refused = 0;
        for (var i = 0; i < 400; i++)
        {
            var bytes = (byte[])original.Clone();
            // Half the damage lands in the footer (the last 2 KiB: schema and row group metadata), where a lie costs most.
            for (var n = random.Next(1, 4); n > 0; n--)
            {
                var at = random.Next(2) == 0 ? random.Next(bytes.Length) : bytes.Length - 1 - random.Next(Math.Min(2048, bytes.Length));
                bytes[at] = (byte)random.Next(256);
            }
            try
            {
                using var table = TableFiles.Open(new MemoryStream(bytes), TableFormat.Parquet);
                _ = table.Rows(table.Header).Count();
            }
            catch (ProblemException e) when (e.Type == ProblemType.InvalidParquet || e.Type == ProblemType.MissingColumn)
            {
                refused++;
            }
        }
        Assert.True(refused > 50, $"only {refused} of 400 damaged files were refused: the damage did not reach the reader");
    }
}

public sealed class JsonLinesTableTests
{
    private static JsonLinesTable Open(string text) => JsonLinesTable.Open(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void The_first_record_names_the_columns_and_later_records_may_leave_fields_out()
    {
        using var table = Open("{\"a\": 1, \"b\": \"x\", \"a\": 2}\n\n{\"b\": null, \"c\": true}\n");

        Assert.Equal(["a", "b"], table.Header);
        var rows = table.Rows(["a", "b"]).Select(r => (r[0].Type, r[1].Type)).ToList();
        Assert.Equal([(CellType.Number, CellType.Text), (CellType.Absent, CellType.Missing)], rows);
        Assert.Equal(2, table.RowsRead);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("\n\n", "empty")]
    [InlineData("[1, 2]\n{\"a\": 1}\n", "Line 1 is Array")]
    [InlineData("{\"a\": \n", "Line 1 is not valid JSON")]
    public void A_file_without_a_first_object_has_no_header_and_says_why(string text, string why)
    {
        using var table = Open(text);

        var error = Assert.Throws<ProblemException>(() => table.Header);

        Assert.Contains(why, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Batch_rows_do_not_need_a_header_so_a_bad_first_line_is_only_that_rows_problem()
    {
        using var table = Open("not json\n{\"a\": 1}\n");

        var rows = table.RowsOrProblems(["a"]).Select(r => r.Problem is null ? r.Row![0].Number.ToString(System.Globalization.CultureInfo.InvariantCulture) : "problem").ToList();

        Assert.Equal(["problem", "1"], rows);
    }
}
