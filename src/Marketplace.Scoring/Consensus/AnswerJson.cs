using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Marketplace.Scoring.Aggregation;

namespace Marketplace.Scoring.Consensus;

/// <summary>Stored answers (JSON) read as the scoring engine compares them.</summary>
public static class AnswerJson
{
    /// <summary>A stored answer as text: a JSON string (<c>"cat"</c>) as its value, anything else as compact JSON.</summary>
    public static string Text(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.ValueKind == JsonValueKind.String ? document.RootElement.GetString()! : document.RootElement.GetRawText();
    }

    /// <summary>Free text folded for comparison: Unicode NFKC, lower case, whitespace collapsed, trailing . ! ? dropped.</summary>
    public static string NormaliseText(string text)
    {
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text.Normalize(NormalizationForm.FormKC).Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }

            if (space && builder.Length > 0)
            {
                builder.Append(' ');
            }

            space = false;
            builder.Append(char.ToLower(c, CultureInfo.InvariantCulture));
        }

        return builder.ToString().TrimEnd('.', '!', '?');
    }

    /// <summary>A canonical form under which equal answers are equal strings: label sets sorted, free text normalised.</summary>
    public static string Key(AnswerKind kind, string json)
    {
        using var document = JsonDocument.Parse(json);
        return Key(kind, document.RootElement);
    }

    internal static string Key(AnswerKind kind, JsonElement answer) => kind switch
    {
        AnswerKind.LabelSet when answer.ValueKind == JsonValueKind.Array =>
            string.Join('\u001f', answer.EnumerateArray().Select(e => e.GetString()).Order(StringComparer.Ordinal)),
        AnswerKind.Text when answer.ValueKind == JsonValueKind.String => NormaliseText(answer.GetString()!),
        _ => answer.ValueKind == JsonValueKind.String ? answer.GetString()! : answer.GetRawText(),
    };

    /// <summary>Boxes drawn as <c>[{"label", "x", "y", "w", "h"}]</c>, as one contributor's annotations.</summary>
    public static List<BoxAnnotation> Boxes(string contributor, string json)
    {
        using var document = JsonDocument.Parse(json);
        return Boxes(contributor, document.RootElement);
    }

    internal static List<BoxAnnotation> Boxes(string contributor, JsonElement regions) =>
        regions.EnumerateArray().Select(r =>
        {
            var x = r.GetProperty("x").GetDouble();
            var y = r.GetProperty("y").GetDouble();
            return new BoxAnnotation("item", contributor, r.GetProperty("label").GetString()!, x, y, x + r.GetProperty("w").GetDouble(), y + r.GetProperty("h").GetDouble());
        }).ToList();

    /// <summary>Spans marked as <c>[{"label", "start", "end"}]</c>, as one contributor's annotations.</summary>
    public static List<SpanAnnotation> Spans(string contributor, string json)
    {
        using var document = JsonDocument.Parse(json);
        return Spans(contributor, document.RootElement);
    }

    internal static List<SpanAnnotation> Spans(string contributor, JsonElement regions) =>
        regions.EnumerateArray().Select(r => new SpanAnnotation("item", contributor, r.GetProperty("label").GetString()!, r.GetProperty("start").GetInt32(), r.GetProperty("end").GetInt32())).ToList();

    /// <summary>JSON written by <paramref name="write"/>, compact, escaped as System.Text.Json escapes by default.</summary>
    public static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Consensus boxes as answers store boxes: <c>[{"label", "x", "y", "w", "h"}]</c>.</summary>
    public static void WriteBoxes(Utf8JsonWriter writer, IEnumerable<ConsensusBox> boxes)
    {
        writer.WriteStartArray();
        foreach (var b in boxes)
        {
            writer.WriteStartObject();
            writer.WriteString("label", b.Label);
            writer.WriteNumber("x", b.X1);
            writer.WriteNumber("y", b.Y1);
            writer.WriteNumber("w", b.X2 - b.X1);
            writer.WriteNumber("h", b.Y2 - b.Y1);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>Consensus spans as answers store spans: <c>[{"label", "start", "end"}]</c>.</summary>
    public static void WriteSpans(Utf8JsonWriter writer, IEnumerable<ConsensusSpan> spans)
    {
        writer.WriteStartArray();
        foreach (var s in spans)
        {
            writer.WriteStartObject();
            writer.WriteString("label", s.Label);
            writer.WriteNumber("start", s.Start);
            writer.WriteNumber("end", s.End);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
