using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace CatSyphon.ApiService.Infrastructure;

/// <summary>
/// A request the framework could not bind is a client mistake: malformed JSON and any other value that does not
/// bind (the README's query-string promise) are 422, an oversized body 413, anything else its own 4xx; never a 500.
/// <see cref="QueryStringValidation"/> names the parameter first; this is the net under it.
/// </summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest)
        {
            return false;
        }

        var malformedJson = badRequest.InnerException is JsonException;
        var status = malformedJson || badRequest.StatusCode == StatusCodes.Status400BadRequest
            ? StatusCodes.Status422UnprocessableEntity
            : badRequest.StatusCode;
        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails =
            {
                Status = status,
                Title = malformedJson ? "Malformed JSON body" : status == StatusCodes.Status422UnprocessableEntity ? "Validation failed" : "Bad request",
                Detail = malformedJson ? badRequest.InnerException!.Message : badRequest.Message,
            },
        });
    }
}
