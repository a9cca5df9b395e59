using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Marketplace.Web.Hosting;

/// <summary>
/// Enums in the API travel as their names ("SingleChoice", "Active"), and only as one defined name (any letter case):
/// <see cref="JsonStringEnumConverter"/> would also bind <c>99</c>, <c>"99"</c> or <c>"SingleChoice, MultiLabel"</c>
/// (which it ORs into <c>MultiLabel</c>), values no client meant. Anything else fails binding with the field named.
/// </summary>
public sealed class EnumNameJsonConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(NameOnly<>).MakeGenericType(typeToConvert))!;

    private sealed class NameOnly<TEnum> : JsonConverter<TEnum>
        where TEnum : struct, Enum
    {
        private static readonly FrozenDictionary<string, TEnum> ByName =
            Enum.GetValues<TEnum>().ToFrozenDictionary(v => v.ToString(), StringComparer.OrdinalIgnoreCase);

        public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String ? Parse(reader.GetString()) : throw new JsonException($"Expected one of: {string.Join(", ", ByName.Keys)}.");

        public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());

        public override TEnum ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Parse(reader.GetString());

        public override void WriteAsPropertyName(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) => writer.WritePropertyName(value.ToString());

        private static TEnum Parse(string? name) =>
            name is not null && ByName.TryGetValue(name, out var value) ? value : throw new JsonException($"Expected one of: {string.Join(", ", ByName.Keys)}.");
    }
}
