using System.Reflection;

namespace CatSyphon.ApiService.Infrastructure;

/// <summary>
/// Checks of an endpoint's bound arguments that answer before anything is looked up, each a 422 naming its parameter
/// as the request spells it. They run before the filters of the endpoint's route group (the
/// <see cref="EndpointAccessFilter"/>), in the order they are added; the first failing one answers.
/// </summary>
internal static class ArgumentChecks
{
    /// <summary>The optional whole number <paramref name="name"/>, when given, is one <paramref name="count"/> allows.</summary>
    public static RouteHandlerBuilder CheckRange(this RouteHandlerBuilder builder, string name, OptionalCount count) =>
        builder.Check<int?>(name, count.Allows, count.Rule(name));

    /// <summary>The optional <paramref name="name"/>, when given, is one of <paramref name="allowed"/>.</summary>
    public static RouteHandlerBuilder CheckOneOf(this RouteHandlerBuilder builder, string name, IReadOnlyCollection<string> allowed) =>
        builder.Check<string?>(name, value => value is null || allowed.Contains(value), $"{name} must be one of: {string.Join(", ", allowed)}.");

    /// <summary>When both times are given, <paramref name="to"/> is after <paramref name="from"/>.</summary>
    public static RouteHandlerBuilder CheckOrder(this RouteHandlerBuilder builder, string from, string to) =>
        builder.AddCheck((factory, next) =>
        {
            var (start, end) = (Argument<DateTimeOffset?>(factory.MethodInfo, from), Argument<DateTimeOffset?>(factory.MethodInfo, to));
            return context => start(context) is { } first && end(context) is { } last && last <= first
                ? ValueTask.FromResult<object?>(ApiProblems.Validation(to, $"{to} must be after {from}."))
                : next(context);
        });

    /// <summary><paramref name="valid"/> holds for the argument <paramref name="name"/>.</summary>
    public static RouteHandlerBuilder Check<T>(this RouteHandlerBuilder builder, string name, Func<T, bool> valid, string message) =>
        builder.AddCheck((factory, next) =>
        {
            var argument = Argument<T>(factory.MethodInfo, name);
            return context => valid(argument(context)) ? next(context) : ValueTask.FromResult<object?>(ApiProblems.Validation(name, message));
        });

    /// <summary>The problem <paramref name="validate"/> finds in the handler's one argument of type <typeparamref name="T"/>, if any.</summary>
    public static RouteHandlerBuilder Check<T>(this RouteHandlerBuilder builder, Func<T, ProblemHttpResult?> validate) =>
        builder.AddCheck((factory, next) =>
        {
            var index = Array.FindIndex(factory.MethodInfo.GetParameters(), p => p.ParameterType == typeof(T));
            if (index < 0)
            {
                throw new InvalidOperationException($"{factory.MethodInfo.Name} takes no {typeof(T).Name}.");
            }

            return context => validate(context.GetArgument<T>(index)) is { } problem ? ValueTask.FromResult<object?>(problem) : next(context);
        });

    private static RouteHandlerBuilder AddCheck(this RouteHandlerBuilder builder, Func<EndpointFilterFactoryContext, EndpointFilterDelegate, EndpointFilterDelegate> check)
    {
        builder.Add(endpoint =>
        {
            // The group's filters are in the list already (group conventions run first): the check goes before them,
            // after the endpoint's earlier checks.
            var position = endpoint.Metadata.Count(item => item is CheckedArgument);
            endpoint.Metadata.Add(new CheckedArgument());
            endpoint.FilterFactories.Insert(position, check);
        });
        return builder;
    }

    /// <summary>
    /// Reads the argument the request names <paramref name="name"/>: a handler parameter (query, route or plain), or a
    /// <c>[FromQuery]</c> property of an <c>[AsParameters]</c> one (such as <see cref="TimeRange"/>).
    /// </summary>
    private static Func<EndpointFilterInvocationContext, T> Argument<T>(MethodInfo handler, string name)
    {
        var parameters = handler.GetParameters();
        var index = Array.FindIndex(parameters, p =>
            (p.GetCustomAttribute<FromQueryAttribute>()?.Name ?? p.GetCustomAttribute<FromRouteAttribute>()?.Name ?? p.Name) == name);
        if (index >= 0)
        {
            return context => context.GetArgument<T>(index);
        }

        for (var i = 0; i < parameters.Length; i++)
        {
            var holder = i;
            if (parameters[i].GetCustomAttribute<AsParametersAttribute>() is not null
                && parameters[i].ParameterType.GetProperties().FirstOrDefault(p => p.GetCustomAttribute<FromQueryAttribute>()?.Name == name) is { } property)
            {
                return context => (T)property.GetValue(context.Arguments[holder])!;
            }
        }

        throw new InvalidOperationException($"{handler.Name} has no parameter {name}.");
    }

    /// <summary>Marks one argument check of an endpoint, so the next goes after it.</summary>
    private sealed class CheckedArgument;
}
