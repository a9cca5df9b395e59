using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Hosting;

/// <summary>The one place unexpected failures become ProblemDetails; expected outcomes are results, not exceptions.</summary>
internal sealed class ProblemDetailsExceptionHandler(IProblemDetailsService problemDetails, ILogger<ProblemDetailsExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = exception switch
        {
            // Malformed JSON, a wrong content type, an oversized body: the client's fault, and it should be told why.
            BadHttpRequestException bad => (bad.StatusCode, "The request could not be read.", bad.Message),
            OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested => (499, "Client closed the request.", null),
            _ => (StatusCodes.Status500InternalServerError, "An unexpected error occurred.", null),
        };

        if (status >= 500)
        {
            logger.LogError(exception, "Unhandled exception for {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
        }

        httpContext.Response.StatusCode = status;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = FieldAtFault(exception) is { } field
                ? new ValidationProblemDetails(new Dictionary<string, string[]> { [field] = [BadValue] }) { Status = status, Title = title, Detail = detail }
                : new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }

    private const string BadValue = "Not a value this field takes: check its type, and give a choice by one of its names (numbers are not accepted).";

    /// <summary>The JSON field a body failed on (<c>$.taskType</c> → <c>taskType</c>), so the client is told which one.</summary>
    private static string? FieldAtFault(Exception exception) =>
        exception is BadHttpRequestException { InnerException: JsonException { Path: { Length: > 2 } path } } && path.StartsWith("$.", StringComparison.Ordinal)
            ? path[2..]
            : null;
}
