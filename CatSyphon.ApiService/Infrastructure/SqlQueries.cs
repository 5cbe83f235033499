using System.Data;
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
    }

    /// <summary>A range bound as Npgsql wants it for timestamptz: UTC, or null.</summary>
    public static DateTimeOffset? Utc(DateTimeOffset? value) => value?.ToUniversalTime();

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
