namespace MlFunctions.Core.Tabular;

/// <summary>A record whose cells are already bound, by name, to the columns a consumer asked for.</summary>
public interface IRow
{
    /// <summary>The cell of the <paramref name="column"/>-th column asked for.</summary>
    Cell this[int column] { get; }
}
