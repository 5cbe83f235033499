using System.Text.Json;
using System.Text.Json.Serialization;
using CatSyphon.Protocol.Json;

namespace CatSyphon.ApiService.Infrastructure;

/// <summary>The API speaks snake_case JSON, enums as their snake_case names, times in UTC with <c>Z</c>.</summary>
internal static class ApiJson
{
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        options.Converters.Add(new UtcTimestampConverter());
        return options;
    }
}
