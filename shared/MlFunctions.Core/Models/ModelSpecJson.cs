using System.Text.Json;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Json;

namespace MlFunctions.Core.Models;

/// <summary>A model spec (model.json) from JSON; malformed or misspelt ones are invalid-spec problems.</summary>
public static class ModelSpecJson
{
    public static ModelSpec Read(ReadOnlySpan<byte> json)
    {
        try
        {
            return (JsonSerializer.Deserialize(json, CoreJsonContext.Web.ModelSpec) ?? throw ProblemType.InvalidSpec.With("The model spec is JSON null.")).Validate();
        }
        catch (JsonException e)
        {
            throw ProblemType.InvalidSpec.With($"The model spec is not valid: {JsonErrors.Describe(e)}", e.Path);
        }
    }
}
