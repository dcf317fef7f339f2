using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlFunctions.Training;

/// <summary>The rows ML.NET trains on and scores: our feature vectors and a label of the task's type.</summary>
public sealed class BinaryRow
{
    public bool Label { get; set; }

    public float[] Features { get; set; } = [];
}

public sealed class MulticlassRow
{
    /// <summary>
    /// A key: the class index, from 0. LoadFromEnumerable takes a key column's values 0-based (ML.NET's
    /// own 1-based key values with 0 for missing are another layer); 1-based values shift every class and
    /// drop the last one as missing, which ML.NET's own metrics cannot see. A test checks true labels.
    /// </summary>
    public uint Label { get; set; }

    public float[] Features { get; set; } = [];
}

public sealed class RegressionRow
{
    public float Label { get; set; }

    public float[] Features { get; set; } = [];
}

public sealed class BinaryOutput
{
    public float Score { get; set; }

    public float Probability { get; set; }
}

public sealed class MulticlassOutput
{
    public float[] Score { get; set; } = [];
}

public sealed class RegressionOutput
{
    public float Score { get; set; }
}

/// <summary>Schemas with the vector size, and for multiclass the key count, that ML.NET needs up front.</summary>
public static class TrainingSchemas
{
    public static SchemaDefinition For<TRow>(int width, int classes = 0)
    {
        var schema = SchemaDefinition.Create(typeof(TRow));
        schema[nameof(BinaryRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
        if (classes > 0)
        {
            schema[nameof(MulticlassRow.Label)].ColumnType = new KeyDataViewType(typeof(uint), classes);
        }
        return schema;
    }

    public static IDataView Load<TRow>(MLContext ml, IEnumerable<TRow> rows, int width, int classes = 0) where TRow : class =>
        ml.Data.LoadFromEnumerable(rows, For<TRow>(width, classes));
}
