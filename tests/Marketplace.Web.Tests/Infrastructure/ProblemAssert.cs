using System.Net;
using System.Text.Json;

namespace Marketplace.Web.Tests.Infrastructure;

/// <summary>What a refused request must look like: a ProblemDetails with the status, and for bad input the field named.</summary>
public static class ProblemAssert
{
    /// <summary>A 400 ProblemDetails whose <c>errors</c> names <paramref name="field"/>.</summary>
    public static async Task FieldAsync(HttpResponseMessage response, string field)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(body);
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), body);
    }

    /// <summary>The status, and <paramref name="detail"/> somewhere in the body (case-insensitive).</summary>
    public static async Task StatusAsync(HttpResponseMessage response, HttpStatusCode status, string detail)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{response.StatusCode}: {body}");
        Assert.Contains(detail, body, StringComparison.OrdinalIgnoreCase);
    }
}
