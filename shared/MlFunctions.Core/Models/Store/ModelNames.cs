using System.Text.RegularExpressions;
using MlFunctions.Core.Contract;

namespace MlFunctions.Core.Models.Store;

/// <summary>Model names and versions become storage keys, so they are checked: letters, digits, '.', '-', '_'; no traversal.</summary>
public static partial class ModelNames
{
    public static bool IsValid(string value) => Pattern().IsMatch(value) && !value.Contains("..", StringComparison.Ordinal);

    public static string Check(string value, string what) =>
        IsValid(value)
            ? value
            : throw Parameters.Invalid(what, $"'{value}' is not a valid {what}: use 1 to 64 letters, digits, '.', '-' or '_'.");

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\z")]
    private static partial Regex Pattern();
}
