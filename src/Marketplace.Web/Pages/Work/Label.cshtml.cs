using Marketplace.Web.Domain;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Work;

/// <summary>The labeling page: one widget per task type, driven by the work API from labeling.js.</summary>
public class LabelModel : PageModel
{
    public Guid? JobId { get; private set; }

    public TaskType? Qualify { get; private set; }

    public void OnGet(Guid? job, TaskType? qualify)
    {
        JobId = job;
        Qualify = qualify;
    }
}
