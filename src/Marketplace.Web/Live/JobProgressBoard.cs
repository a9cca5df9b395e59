using System.Collections.Concurrent;

namespace Marketplace.Web.Live;

/// <summary>
/// The jobs whose numbers moved since the last tick. <see cref="ILiveNotifier.JobProgressed"/> marks a job here; the
/// job progress publisher (in Jobs) takes the marks each tick and sends one message per job, however many labels
/// arrived in between.
/// </summary>
public sealed class JobProgressBoard
{
    private readonly ConcurrentDictionary<Guid, byte> _dirty = new();

    public void Touch(Guid jobId) => _dirty.TryAdd(jobId, 0);

    /// <summary>The jobs marked since the last call, each once; their marks are cleared.</summary>
    public IReadOnlyList<Guid> Take()
    {
        var taken = new List<Guid>();
        foreach (var jobId in _dirty.Keys)
        {
            if (_dirty.TryRemove(jobId, out _))
            {
                taken.Add(jobId);
            }
        }

        return taken;
    }
}
