using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace CatSyphon.ApiService.Infrastructure;

/// <summary>
/// A request the framework could not bind is a client mistake: malformed JSON is 422 (the contract's
/// "malformed body"), an oversized body 413, anything else its own 4xx; never a 500.
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
        var status = malformedJson ? StatusCodes.Status422UnprocessableEntity : badRequest.StatusCode;
        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails =
            {
                Status = status,
                Title = malformedJson ? "Malformed JSON body" : "Bad request",
                Detail = malformedJson ? badRequest.InnerException!.Message : badRequest.Message,
            },
        });
    }
}
