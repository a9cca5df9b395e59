using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Marketplace.Web.Hosting;

/// <summary>
/// Makes the OpenAPI document say what the API does, so a generated client can be trusted: how to authenticate
/// (a bearer token or the browser's cookie), which operations need it, every error each operation can answer (as
/// ProblemDetails, <c>application/problem+json</c>), enums as their names only, and required fields that are not
/// nullable. The bounds themselves come from the request records' data annotations.
/// </summary>
internal static class OpenApiContract
{
    public const string Bearer = "bearer";
    public const string Cookie = "cookie";
    public const string ProblemJson = "application/problem+json";

    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[Bearer] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "A personal API token (Account → API tokens), sent as 'Authorization: Bearer mkt_...'.",
            };
            document.Components.SecuritySchemes[Cookie] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Cookie,
                Name = "marketplace.auth",
                Description = "The signed-in browser's session (the app's own pages).",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer(DescribeErrorsAsync);
        options.AddDocumentTransformer((document, _, _) =>
        {
            // A required property is never "null or X": nullable references become oneOf [null, X] only once the
            // components are assembled, after the schema transformers, so this pass comes last.
            foreach (var schema in document.Components?.Schemas?.Values.OfType<OpenApiSchema>() ?? [])
            {
                foreach (var name in schema.Required ?? new HashSet<string>())
                {
                    if (schema.Properties?.TryGetValue(name, out var property) == true && property is OpenApiSchema { OneOf: { Count: 2 } choices } && choices.Any(IsNull))
                    {
                        schema.Properties[name] = choices.First(c => !IsNull(c));
                    }
                }
            }

            return Task.CompletedTask;
        });
        options.AddSchemaTransformer((schema, context, _) =>
        {
            Describe(schema, context.JsonTypeInfo);
            return Task.CompletedTask;
        });
    }

    private static async Task DescribeErrorsAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var problem = await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, ct);
        operation.Responses ??= [];
        void Add(int status, string description)
        {
            if (!operation.Responses.ContainsKey(status.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            {
                operation.Responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new OpenApiResponse { Description = description };
            }
        }

        if (metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any())
        {
            operation.Security =
            [
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, context.Document)] = [] },
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Cookie, context.Document)] = [] },
            ];
            Add(StatusCodes.Status401Unauthorized, "Not signed in: no valid token or session.");
            Add(StatusCodes.Status403Forbidden, "Signed in, but not allowed this (role, or a token without the scope).");
        }

        if (operation.RequestBody is not null || operation.Parameters is { Count: > 0 })
        {
            Add(StatusCodes.Status400BadRequest, "A field is missing or wrong: the problem's errors name it.");
        }

        if (context.Description.RelativePath?.Contains('{', StringComparison.Ordinal) == true)
        {
            Add(StatusCodes.Status404NotFound, "Nothing with that id, or nothing this caller may see.");
        }

        Add(StatusCodes.Status500InternalServerError, "An unexpected error; it was logged.");
        foreach (var (status, response) in operation.Responses)
        {
            if (status.Length == 3 && status[0] is '4' or '5' && response is OpenApiResponse concrete)
            {
                concrete.Content = new Dictionary<string, OpenApiMediaType> { [ProblemJson] = new OpenApiMediaType { Schema = problem } };
            }
        }
    }

    /// <summary>
    /// Enums as their names (the only values the API binds). A request record whose properties carry data annotations
    /// lists as required exactly those marked [Required], and those are never null: without this, every positional
    /// parameter of a record reads as required (and nullable), which no client could satisfy.
    /// </summary>
    private static void Describe(OpenApiSchema schema, JsonTypeInfo info)
    {
        var type = Nullable.GetUnderlyingType(info.Type) ?? info.Type;
        if (type.IsEnum)
        {
            schema.Type = JsonSchemaType.String; // left out, not null, when a request does not set it
            schema.Format = null;
            schema.Enum = [.. Enum.GetNames(type).Select(name => (JsonNode)JsonValue.Create(name))];
            return;
        }

        var annotated = info.Properties.Where(p => p.AttributeProvider?.IsDefined(typeof(ValidationAttribute), inherit: true) == true).ToList();
        if (annotated.Count == 0 || schema.Properties is not { } properties)
        {
            return;
        }

        var required = annotated.Where(p => p.AttributeProvider!.IsDefined(typeof(RequiredAttribute), inherit: true)).Select(p => p.Name).ToList();
        schema.Required = new HashSet<string>(required);
        foreach (var name in required)
        {
            switch (properties.TryGetValue(name, out var property) ? property : null)
            {
                case OpenApiSchema { OneOf: { Count: 2 } choices } when choices.Any(IsNull):
                    properties[name] = choices.First(c => !IsNull(c));
                    break;
                case OpenApiSchema { Type: { } kind } concrete:
                    concrete.Type = kind & ~JsonSchemaType.Null;
                    break;
            }
        }
    }

    private static bool IsNull(IOpenApiSchema schema) => schema is OpenApiSchema { Type: JsonSchemaType.Null };
}
