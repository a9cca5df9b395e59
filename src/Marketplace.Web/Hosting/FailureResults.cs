using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Hosting;

/// <summary>The one place a <see cref="Failure"/> becomes an HTTP answer: ProblemDetails with its status, and for bad input the fields in <c>errors</c>.</summary>
public static class FailureResults
{
    public static ProblemHttpResult ToProblem(this Failure failure)
    {
        var status = (int)failure.Kind;
        var problem = failure.Errors is { } errors
            ? new HttpValidationProblemDetails(errors.ToDictionary(e => e.Key, e => e.Value))
            : new ProblemDetails();
        problem.Status = status;
        problem.Title = failure.Title;
        problem.Detail = failure.Errors is not null && failure.Title == Failure.ValidationTitle || failure.Detail.Length == 0 ? null : failure.Detail;
        foreach (var (key, value) in failure.Extensions ?? new Dictionary<string, object?>())
        {
            problem.Extensions[key] = value;
        }

        return TypedResults.Problem(problem);
    }

    /// <summary>The value through <paramref name="ok"/>, or the failure as ProblemDetails.</summary>
    public static Results<TOk, ProblemHttpResult> ToResult<T, TOk>(this Outcome<T> outcome, Func<T, TOk> ok)
        where TOk : IResult =>
        outcome.Failure is { } failure ? failure.ToProblem() : ok(outcome.Value!);

    /// <summary>204 when nothing failed, else the failure as ProblemDetails.</summary>
    public static Results<NoContent, ProblemHttpResult> ToResult(this Failure? failure) =>
        failure is null ? TypedResults.NoContent() : failure.ToProblem();
}
