namespace MlFunctions.Core.Features;

/// <summary>
/// Counts a categorical column's values in bounded memory: when the table fills, the rarest values are
/// dropped, so a column with millions of distinct values cannot exhaust memory. Values frequent enough
/// to get a slot survive the pruning.
/// </summary>
internal sealed class CategoryAccumulator(int maxCategories)
{
    private readonly int _capacity = Math.Max(1_000, maxCategories * 20);
    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);

    public long Count { get; private set; }

    public long Missing { get; set; }

    public void Add(string value)
    {
        Count++;
        _counts[value] = _counts.GetValueOrDefault(value) + 1;
        if (_counts.Count >= _capacity)
        {
            Prune();
        }
    }

    /// <summary>The most frequent values (ties by name), in name order so that feature names read well.</summary>
    public ColumnStats ToStats() => new()
    {
        Count = Count,
        Missing = Missing,
        Categories = _counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Take(maxCategories).Select(kv => kv.Key).Order(StringComparer.Ordinal).ToArray(),
    };

    /// <summary>The <paramref name="k"/> most frequent values and their counts, most frequent first (ties by name).</summary>
    public IEnumerable<(string Value, long Count)> Top(int k) =>
        _counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(k).Select(kv => (kv.Key, kv.Value));

    private void Prune()
    {
        // Drop everything at or below the median count: amortised, each prune at least halves the table.
        var counts = _counts.Values.Order().ToArray();
        var threshold = counts[counts.Length / 2];
        foreach (var key in _counts.Where(kv => kv.Value <= threshold).Select(kv => kv.Key).ToList())
        {
            _counts.Remove(key);
        }
    }
}
