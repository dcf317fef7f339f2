using MlFunctions.Core.Tabular;

namespace MlFunctions.Core.Features;

/// <summary>
/// Proposes a spec from the first rows of a table: numbers become numeric (median-imputed,
/// standardized), yes/no values boolean, dates datetime (ISO 8601, or numeric dates month- or day-first),
/// few distinct values categorical, long free text hashed text, and identifier-like columns (nearly all
/// values distinct) are ignored.
/// </summary>
public static class SpecProposer
{
    public const int SampleRows = 2_000;
    private const int MaxDistinct = 50;

    public static FeatureSpec Propose(ITable table, IReadOnlyCollection<string>? exclude = null)
    {
        var names = table.Header.Select(h => h.Trim()).ToArray();
        var profiles = names.Select(_ => new Profile()).ToArray();
        foreach (var row in table.Rows(names).Take(SampleRows))
        {
            for (var c = 0; c < names.Length; c++)
            {
                profiles[c].Add(row[c]);
            }
        }
        var columns = names.Select((name, c) => exclude?.Contains(name) == true
            ? new ColumnSpec { Name = name, Kind = ColumnKind.Ignore }
            : profiles[c].Propose(name)).ToArray();
        return new FeatureSpec(columns);
    }

    private sealed class Profile
    {
        private readonly HashSet<string> _distinct = new(StringComparer.Ordinal);
        private int _present;
        private int _numbers;
        private int _booleans;
        private long _length;
        private int _withSpaces;
        private readonly int[] _dates = new int[DateValues.Proposed.Length];
        private readonly bool[] _timed = new bool[DateValues.Proposed.Length];

        public void Add(Cell cell)
        {
            if (cell.IsMissing)
            {
                return;
            }
            _present++;
            var text = cell.AsCategory() ?? "";
            _numbers += cell.TryNumber(out _) ? 1 : 0;
            _booleans += cell.TryBool(out _) ? 1 : 0; // 0/1 alone was taken as numeric above
            _length += text.Length;
            for (var f = 0; f < _dates.Length; f++)
            {
                // Only while every value so far has read: one failure rules a format out.
                if (_dates[f] == _present - 1 && DateValues.TryRead(cell, DateValues.Proposed[f], out var date))
                {
                    _dates[f]++;
                    _timed[f] |= date.TimeOfDay != TimeSpan.Zero;
                }
            }
            _withSpaces += text.Trim().Contains(' ', StringComparison.Ordinal) ? 1 : 0;
            if (_distinct.Count <= SampleRows)
            {
                _distinct.Add(text);
            }
        }

        public ColumnSpec Propose(string name)
        {
            if (_present == 0)
            {
                return new ColumnSpec { Name = name, Kind = ColumnKind.Ignore };
            }
            if (_numbers == _present)
            {
                return new ColumnSpec { Name = name, Kind = ColumnKind.Numeric, Impute = "median", Scaling = "standardize" };
            }
            if (_booleans == _present)
            {
                return new ColumnSpec { Name = name, Kind = ColumnKind.Boolean };
            }
            if (Array.IndexOf(_dates, _present) is var f and >= 0)
            {
                return new ColumnSpec
                {
                    Name = name, Kind = ColumnKind.DateTime, Impute = "median", Format = DateValues.Proposed[f],
                    Parts = _timed[f] ? DateValues.AllParts : [.. DateValues.AllParts.Where(p => p != DateValues.Hour)],
                };
            }
            if (_distinct.Count <= MaxDistinct && _distinct.Count < Math.Max(2, _present / 2))
            {
                return new ColumnSpec { Name = name, Kind = ColumnKind.Categorical, MaxCategories = MaxDistinct };
            }
            if (_withSpaces * 2 > _present && _length / _present >= 15)
            {
                return new ColumnSpec { Name = name, Kind = ColumnKind.Text, Buckets = 256, WordNgrams = [1, 2] };
            }
            // Mostly distinct short values: an identifier, which would only let a model memorise rows.
            return new ColumnSpec { Name = name, Kind = ColumnKind.Ignore };
        }
    }
}
