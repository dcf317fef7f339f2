using System.Text.Json;
using System.Text.RegularExpressions;

namespace MlFunctions.Core.Contract;

/// <summary>
/// System.Text.Json's messages name .NET types ("could not be converted to MlFunctions.Core.Json.PredictRequest",
/// "System.Nullable`1[System.Int32]"): a client reads what was expected instead, in JSON's words.
/// </summary>
public static partial class JsonErrors
{
    public static string Describe(JsonException e)
    {
        var message = e.Message;
        message = UnknownMember().Replace(message, m => $"'{m.Groups[1].Value}' is not a field here.");
        // The type named is often the enclosing record's, not the field's: the path says which field.
        message = ConvertedTo().Replace(message, "is not of the type this field takes.");
        // What is left of a .NET type name after the rewrites: the name of one of our records.
        message = OurType().Replace(message, "the request");
        return message;
    }

    [GeneratedRegex(@"The JSON property '([^']*)' could not be mapped to any \.NET member contained in type '[^']*'\.")]
    private static partial Regex UnknownMember();

    [GeneratedRegex(@"could not be converted to ([\w.`\[\], ]+?)\.(?= Path|$)")]
    private static partial Regex ConvertedTo();

    [GeneratedRegex(@"MlFunctions(\.\w+)+")]
    private static partial Regex OurType();
}
