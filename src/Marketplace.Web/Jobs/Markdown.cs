using Markdig;

namespace Marketplace.Web.Jobs;

/// <summary>Buyers' instructions are Markdown; raw HTML in them is shown as text, never run.</summary>
public static class InstructionsMarkdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().DisableHtml().UseAutoLinks().UsePipeTables().Build();

    public static string ToSafeHtml(string markdown)
    {
        var html = Markdown.ToHtml(markdown, Pipeline);

        // DisableHtml escapes tags; links still need their scheme checked so "javascript:" cannot sneak in.
        return html.Replace("href=\"javascript:", "href=\"#blocked:", StringComparison.OrdinalIgnoreCase);
    }
}
