namespace MlFunctions.Core.Features;

/// <summary>The kinds of column a feature spec knows, as written in its JSON.</summary>
public static class ColumnKind
{
    public const string Numeric = "numeric";
    public const string Categorical = "categorical";
    public const string Boolean = "boolean";
    public const string Text = "text";
    public const string DateTime = "datetime";
    public const string Ignore = "ignore";

    public static readonly string[] All = [Numeric, Categorical, Boolean, Text, DateTime, Ignore];
}
