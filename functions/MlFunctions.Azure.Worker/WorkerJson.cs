using System.Text.Json.Serialization;

namespace MlFunctions.Azure.Worker;

[JsonSerializable(typeof(string))]
internal sealed partial class WorkerJsonContext : JsonSerializerContext;
