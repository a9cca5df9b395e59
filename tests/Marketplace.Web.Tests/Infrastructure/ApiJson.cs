using System.Text.Json;
using System.Text.Json.Serialization;

namespace Marketplace.Web.Tests.Infrastructure;

/// <summary>How the API writes JSON: web defaults, enums by name.</summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
}
