using System.Data;
using System.Text.Json;
using Dapper;

namespace CatSyphon.ApiService.Infrastructure;

/// <summary>
/// Dapper setup for the hand-written analytics SQL: snake_case columns map onto PascalCase members, and
/// timestamptz values (read by Npgsql as UTC <see cref="DateTime"/>) onto <see cref="DateTimeOffset"/>.
/// </summary>
internal static class SqlQueries
{
    public static void Configure()
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset));
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset?));
        SqlMapper.AddTypeHandler(new UtcTimestampHandler());
        SqlMapper.AddTypeHandler(new JsonColumnHandler<SessionTags>());
    }

    /// <summary>A range bound as Npgsql wants it for timestamptz: UTC, or null.</summary>
    public static DateTimeOffset? Utc(DateTimeOffset? value) => value?.ToUniversalTime();

    /// <summary>A record the SQL builds as a JSON object (<c>json_build_object(...)::text</c>), read with the API's own JSON rules.</summary>
    private sealed class JsonColumnHandler<T> : SqlMapper.TypeHandler<T?> where T : class
    {
        public override T? Parse(object value) => value is string json ? JsonSerializer.Deserialize<T>(json, ApiJson.Options) : null;

        public override void SetValue(IDbDataParameter parameter, T? value) => throw new NotSupportedException($"{typeof(T).Name} is only read.");
    }

    private sealed class UtcTimestampHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override DateTimeOffset Parse(object value) => value switch
        {
            DateTime dateTime => new DateTimeOffset(DateTime.SpecifyKind(dateTime, DateTimeKind.Utc)),
            DateTimeOffset offset => offset,
            _ => throw new DataException($"Cannot read {value.GetType().Name} as a timestamp."),
        };

        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value)
        {
            parameter.DbType = DbType.DateTimeOffset;
            parameter.Value = value.ToUniversalTime();
        }
    }
}
