using System.Text.Json;
using System.Text.Json.Serialization;

namespace Microsoft.Extensions.Hosting;

/// <summary>The JSON body of <c>/health</c> and <c>/ready</c>.</summary>
public sealed record HealthReportBody(string Status, IReadOnlyDictionary<string, string> Checks);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(HealthReportBody))]
internal sealed partial class HealthReportJsonContext : JsonSerializerContext;
