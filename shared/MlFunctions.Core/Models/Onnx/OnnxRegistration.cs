using System.Security.Cryptography;
using System.Text.Json;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Models.Store;
using MlFunctions.Core.Storage;

namespace MlFunctions.Core.Models.Onnx;

/// <summary>
/// Registers an ONNX model as a version: the graph is optimised once (model.optimized.onnx for any
/// CPU, model.native.onnx for machines like this one: what cold starts load), loaded as it will be served, the manifest checked against it (names, element types,
/// shapes, labels, feature spec), run once on a sample (an image, or a record of nulls), and written
/// as models/&lt;model&gt;/&lt;version&gt;/ with model.json last. It becomes the champion if there is none, or
/// if the manifest asks ("promote": true), by a conditional write. Imports from the bucket and the
/// local host's sample model both come here. A manifest or graph that does not fit is an
/// <see cref="InvalidDataException"/> saying what does not match, and nothing is written.
/// </summary>
public sealed class OnnxRegistration(FunctionLimits limits, IGraphRunner runner)
{
    public async Task<(OnnxManifest Manifest, bool Champion)> RegisterAsync(ObjectModelStore registry, OnnxManifest manifest, byte[] graph, byte[]? prepare, CancellationToken cancellationToken)
    {
        manifest = await WriteVersionAsync(registry, manifest, graph, prepare, cancellationToken).ConfigureAwait(false);
        return (manifest, await PromoteAsync(registry, manifest, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The version checked, optimised and written, and not promoted: for retraining, which promotes only a better model.</summary>
    public async Task<OnnxManifest> WriteVersionAsync(ObjectModelStore registry, OnnxManifest manifest, byte[] graph, byte[]? prepare, CancellationToken cancellationToken)
    {
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(graph));
        var optimized = runner.Optimize(graph);
        manifest = manifest with
        {
            Version = string.IsNullOrEmpty(manifest.Version) ? "v-" + sha256[..12] : ModelNames.Check(manifest.Version, "version"),
            Source = new OnnxSource(sha256, manifest.Source?.Origin),
            Optimized = new OnnxOptimized(runner.Runtime, Convert.ToHexStringLower(SHA256.HashData(optimized.Portable)),
                runner.Machine, Convert.ToHexStringLower(SHA256.HashData(optimized.Native)),
                optimized.NativeWeights is { } weights ? Convert.ToHexStringLower(SHA256.HashData(weights)) : null),
        };
        Check(manifest, optimized, prepare);
        await registry.WriteOnnxAsync(manifest, new MemoryStream(graph, writable: false), prepare is null ? null : new MemoryStream(prepare, writable: false), cancellationToken,
            optimized).ConfigureAwait(false);
        return manifest;
    }

    /// <summary>Loads the graphs as they will be served, checks the manifest against them and runs them once on a sample.</summary>
    private void Check(OnnxManifest manifest, OptimizedGraphs optimized, byte[]? prepare)
    {
        // The portable graph is checked (it is what other machines serve); Optimize loaded the native one once.
        using var model = new OnnxModel(manifest, runner.Load(optimized.Portable, GraphForm.Portable), prepare is null ? null : runner.Load(prepare));
        try
        {
            if (model.TakesImages)
            {
                var answer = model.Predict(Imaging.SampleImage.Png, null, null, limits);
                Finite(answer.Embedding?.Select(v => (double)v), answer.Prediction is null ? null : [answer.Prediction.Probability], answer.Detections?.Select(d => d.Score));
                return;
            }
            var (predictions, values) = model.Predict([SampleRecord(manifest.Features?.Columns.Select(c => c.Name) ?? manifest.Columns ?? [])], null, null, limits);
            Finite(values, predictions?.Select(p => p.Probability));
        }
        catch (ProblemException e)
        {
            throw new InvalidDataException($"The graph fails on a sample input: {e.Message}", e);
        }
    }

    /// <summary>A record of nulls: every column takes its fitted fill (or, for a graph taking a column an input, its missing value).</summary>
    private static JsonElement SampleRecord(IEnumerable<string> columns)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var column in columns)
            {
                writer.WriteNull(column);
            }
            writer.WriteEndObject();
        }
        return JsonDocument.Parse(buffer.WrittenMemory).RootElement;
    }

    private static void Finite(params IEnumerable<double>?[] values)
    {
        if (values.Any(v => v is not null && v.Any(x => !double.IsFinite(x))))
        {
            throw new InvalidDataException("The graph gives values that are not finite numbers for a sample input.");
        }
    }

    private static async Task<bool> PromoteAsync(ObjectModelStore registry, OnnxManifest manifest, CancellationToken cancellationToken)
    {
        var current = await registry.ReadChampionWithETagAsync(manifest.Name, cancellationToken).ConfigureAwait(false);
        if (current is not null && manifest.Promote != true)
        {
            return false;
        }
        var pointer = new ChampionPointer(manifest.Version, "none", 0, DateTimeOffset.UtcNow, current is null ? "registered: the model's first version" : "registered with \"promote\": true",
            By: "registration", Task: manifest.Task);
        var condition = current is null ? WriteCondition.IfNoneMatch : WriteCondition.Unchanged(current.Value.ETag);
        return await registry.TryPromoteAsync(manifest.Name, pointer, condition, cancellationToken).ConfigureAwait(false);
    }
}
