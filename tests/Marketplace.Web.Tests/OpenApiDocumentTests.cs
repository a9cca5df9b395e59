using System.Text.Json;
using Marketplace.Web.Tests.Infrastructure;

namespace Marketplace.Web.Tests;

/// <summary>
/// Issue 20, finding 15: the OpenAPI document is a contract a generated client is built from, so it must be complete
/// and exact. This walks every operation of the generated document.
/// </summary>
public sealed class OpenApiDocumentTests(SqliteAppFactory app) : IClassFixture<SqliteAppFactory>
{
    /// <summary>Operations anyone may call, on purpose; every other one must declare how to authenticate.</summary>
    private static readonly HashSet<string> AnonymousByDesign =
    [
        "POST /stripe/webhook", // authenticated by Stripe's signature, not by a user
    ];

    [Fact]
    public async Task EveryOperation_DeclaresItsSecurity_AndEveryErrorAsProblemDetails()
    {
        var document = await DocumentAsync();
        var schemes = document.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("bearer", schemes.GetProperty("bearer").GetProperty("scheme").GetString());
        Assert.Equal("cookie", schemes.GetProperty("cookie").GetProperty("in").GetString());

        var faults = new List<string>();
        var operations = Operations(document).ToList();
        Assert.True(operations.Count > 40, $"Only {operations.Count} operations documented.");
        foreach (var (name, path, operation) in operations)
        {
            var responses = operation.GetProperty("responses").EnumerateObject().ToDictionary(r => r.Name, r => r.Value);
            var secured = operation.TryGetProperty("security", out var security) && security.GetArrayLength() > 0;
            if (!secured && !AnonymousByDesign.Contains(name))
            {
                faults.Add($"{name}: no security requirement");
            }

            var expected = new List<string> { "500" };
            if (secured)
            {
                expected.AddRange(["401", "403"]);
            }

            if (path.Contains('{', StringComparison.Ordinal))
            {
                expected.Add("404");
            }

            if (operation.TryGetProperty("requestBody", out _) || operation.TryGetProperty("parameters", out _))
            {
                expected.Add("400");
            }

            faults.AddRange(expected.Where(status => !responses.ContainsKey(status)).Select(status => $"{name}: no {status} response"));
            foreach (var (status, response) in responses.Where(r => r.Key[0] is '4' or '5'))
            {
                var types = response.TryGetProperty("content", out var content) ? content.EnumerateObject().Select(c => c.Name).ToList() : [];
                if (types is not ["application/problem+json"])
                {
                    faults.Add($"{name}: {status} is {(types.Count == 0 ? "undescribed" : string.Join(", ", types))}, not application/problem+json");
                }
            }
        }

        Assert.Empty(faults);
    }

    [Fact]
    public async Task ANewJob_HasItsRequiredFieldsBoundsAndChoicesDescribed_SoAClientCanBuildAValidOne()
    {
        var document = await DocumentAsync();
        var schema = Resolve(document, document.GetProperty("paths").GetProperty("/api/jobs").GetProperty("post").GetProperty("requestBody")
            .GetProperty("content").GetProperty("application/json").GetProperty("schema"));

        var required = schema.GetProperty("required").EnumerateArray().Select(r => r.GetString()).ToHashSet();
        Assert.Equal(new HashSet<string?> { "title", "taskType", "payPerLabelMinor", "currency" }, required); // the rest is optional
        var properties = schema.GetProperty("properties");
        Assert.Equal("string", properties.GetProperty("title").GetProperty("type").GetString()); // required: not nullable
        Assert.Equal(200, properties.GetProperty("title").GetProperty("maxLength").GetInt32());
        Assert.Equal(99_999_999, properties.GetProperty("payPerLabelMinor").GetProperty("maximum").GetInt64());
        Assert.Equal(3, properties.GetProperty("currency").GetProperty("maxLength").GetInt32());

        var taskType = Resolve(document, properties.GetProperty("taskType")); // required: a plain reference, not "null or TaskType"
        Assert.Equal("string", taskType.GetProperty("type").GetString());
        Assert.Equal(["SingleChoice", "MultiLabel", "BoundingBox", "TextSpan", "FreeText", "Pairwise"], taskType.GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task EveryEnum_IsItsNames_AndUploadsDescribeTheirBodies()
    {
        var document = await DocumentAsync();
        foreach (var schema in document.GetProperty("components").GetProperty("schemas").EnumerateObject().Where(s => s.Value.TryGetProperty("enum", out _)))
        {
            Assert.True(schema.Value.GetProperty("type").ValueKind == JsonValueKind.String && schema.Value.GetProperty("type").GetString() == "string", $"{schema.Name} is not a string enum");
            Assert.All(schema.Value.GetProperty("enum").EnumerateArray(), value => Assert.Equal(JsonValueKind.String, value.ValueKind));
        }

        foreach (var upload in new[] { "/api/jobs/{id}/items", "/api/jobs/{id}/gold" })
        {
            var content = document.GetProperty("paths").GetProperty(upload).GetProperty("post").GetProperty("requestBody").GetProperty("content");
            Assert.True(content.TryGetProperty("text/csv", out _), $"{upload} does not describe CSV");
            Assert.True(content.TryGetProperty("application/jsonl", out _), $"{upload} does not describe JSON lines");
        }
    }

    private async Task<JsonElement> DocumentAsync() =>
        JsonDocument.Parse(await app.CreateClient().GetStringAsync("/openapi/v1.json")).RootElement;

    private static IEnumerable<(string Name, string Path, JsonElement Operation)> Operations(JsonElement document) =>
        from path in document.GetProperty("paths").EnumerateObject()
        from operation in path.Value.EnumerateObject()
        where operation.Name is "get" or "post" or "put" or "patch" or "delete"
        select ($"{operation.Name.ToUpperInvariant()} {path.Name}", path.Name, operation.Value);

    private static JsonElement Resolve(JsonElement document, JsonElement schema) =>
        schema.TryGetProperty("$ref", out var reference)
            ? document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/').Last())
            : schema;
}
