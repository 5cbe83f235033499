using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;

namespace CatSyphon.ApiService.Infrastructure;

/// <summary>
/// Checks the query string of every request against the <c>[FromQuery]</c> parameters its endpoint declares, before
/// anything binds it: a NUL anywhere (PostgreSQL text cannot hold one) or a value that is not of the parameter's type
/// is a 422 naming the parameter, where binding would have answered 400 with no name, or PostgreSQL a 500.
/// Ranges and vocabularies stay with each handler, which knows them.
/// </summary>
internal static class QueryStringValidation
{
    private static readonly ConcurrentDictionary<Endpoint, QueryParameter[]> Declared = new();

    /// <summary>Runs after authorization, so an unauthenticated caller learns nothing about parameters.</summary>
    public static IApplicationBuilder UseQueryStringValidation(this IApplicationBuilder app) =>
        app.Use(next => async context =>
        {
            if (context.Request.QueryString.HasValue && Validate(context) is { } problem)
            {
                await problem.ExecuteAsync(context);
                return;
            }

            await next(context);
        });

    private static ProblemHttpResult? Validate(HttpContext context)
    {
        var errors = new Dictionary<string, string[]>();
        foreach (var (key, values) in context.Request.Query)
        {
            if (StorableText.HasNul(key) || values.Any(StorableText.HasNul))
            {
                errors[StorableText.Printable(key)] = [$"{StorableText.Printable(key)} must not contain NUL characters."];
            }
        }

        if (context.GetEndpoint() is { } endpoint)
        {
            foreach (var parameter in Declared.GetOrAdd(endpoint, Describe))
            {
                var text = context.Request.Query[parameter.Name].ToString();
                // Binding reads an empty value of an optional parameter as absent.
                if (text.Length > 0 && !errors.ContainsKey(parameter.Name) && TypeError(parameter, text) is { } message)
                {
                    errors[parameter.Name] = [message];
                }
            }
        }

        return errors.Count == 0 ? null : ApiProblems.Validation(errors, "The query string is not valid; see errors.");
    }

    /// <summary>Parses as minimal-API binding does (invariant culture; times without an offset are UTC).</summary>
    private static string? TypeError(QueryParameter parameter, string text)
    {
        var type = Nullable.GetUnderlyingType(parameter.Type) ?? parameter.Type;
        var valid = type switch
        {
            _ when type == typeof(Guid) => Guid.TryParse(text, out _),
            _ when type == typeof(int) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
            _ when type == typeof(long) => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
            _ when type == typeof(bool) => bool.TryParse(text, out _),
            _ when type == typeof(DateTimeOffset) => DateTimeOffset.TryParse(
                text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out _),
            _ => true,
        };
        if (valid)
        {
            return null;
        }

        return type switch
        {
            _ when type == typeof(Guid) => $"{parameter.Name} must be a UUID.",
            _ when type == typeof(int) => $"{parameter.Name} must be a whole number between {int.MinValue} and {int.MaxValue}.",
            _ when type == typeof(long) => $"{parameter.Name} must be a whole number between {long.MinValue} and {long.MaxValue}.",
            _ when type == typeof(bool) => $"{parameter.Name} must be true or false.",
            _ => $"{parameter.Name} must be an ISO 8601 date and time, such as 2026-01-31T00:00:00Z.",
        };
    }

    /// <summary>The query parameters of a minimal-API handler, those of <c>[AsParameters]</c> types included.</summary>
    private static QueryParameter[] Describe(Endpoint endpoint)
    {
        if (endpoint.Metadata.GetMetadata<MethodInfo>() is not { } handler)
        {
            return [];
        }

        var found = new List<QueryParameter>();
        foreach (var parameter in handler.GetParameters())
        {
            if (parameter.GetCustomAttribute<AsParametersAttribute>() is not null)
            {
                found.AddRange(parameter.ParameterType.GetProperties()
                    .Select(p => (Query: p.GetCustomAttribute<FromQueryAttribute>(), Property: p))
                    .Where(p => p.Query is not null)
                    .Select(p => new QueryParameter(p.Query!.Name ?? p.Property.Name, p.Property.PropertyType)));
            }
            else if (parameter.GetCustomAttribute<FromQueryAttribute>() is { } query)
            {
                found.Add(new QueryParameter(query.Name ?? parameter.Name!, parameter.ParameterType));
            }
        }

        return [.. found];
    }

    private sealed record QueryParameter(string Name, Type Type);
}
