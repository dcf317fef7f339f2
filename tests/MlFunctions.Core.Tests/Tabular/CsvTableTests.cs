using MlFunctions.Core.Contract;
using MlFunctions.Core.Tabular;

namespace MlFunctions.Core.Tests.Tabular;

public sealed class CsvTableTests
{
    private static List<string[]> Read(string csv, params string[] columns)
    {
        using var table = CsvTable.Open(new StringReader(csv));
        return table.Rows(columns).Select(row => columns.Select((_, i) => row[i].IsMissing ? "<missing>" : row[i].Text!).ToArray()).ToList();
    }

    [Fact]
    public void Quoted_fields_keep_their_commas_quotes_and_line_breaks()
    {
        var rows = Read("id,note\r\n1,\"a, b\"\r\n2,\"say \"\"hi\"\"\nthen go\"\r\n", "id", "note");

        Assert.Equal(["1", "a, b"], rows[0]);
        Assert.Equal(["2", "say \"hi\"\nthen go"], rows[1]);
    }

    [Fact]
    public void Empty_and_NA_fields_are_missing_and_columns_bind_by_name()
    {
        var rows = Read("a,b,c\n1,,NA\n", "c", "a", "b");

        Assert.Equal(["<missing>", "1", "<missing>"], rows[0]);
    }

    [Fact]
    public void A_short_row_reads_its_trailing_columns_as_missing()
    {
        var rows = Read("a,b\n1\n", "a", "b");

        Assert.Equal(["1", "<missing>"], rows[0]);
    }

    [Fact]
    public void A_column_the_header_lacks_is_a_400_naming_it_and_listing_the_header()
    {
        var problem = Assert.Throws<ProblemException>(() => Read("a,b\n1,2\n", "a", "label"));

        Assert.Equal("missing-column", problem.Type.Slug);
        Assert.Equal("label", problem.Parameter);
        Assert.Contains("a, b", problem.Message);
    }

    [Fact]
    public void An_empty_file_is_refused()
    {
        var problem = Assert.Throws<ProblemException>(() => Read("", "a"));

        Assert.Equal("invalid-csv", problem.Type.Slug);
    }
}
