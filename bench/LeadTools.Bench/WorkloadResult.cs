using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Serialization;

namespace LeadTools.Bench
{
    /// <summary>One workload at one size: what it read or wrote, how long each run took, its peak memory.</summary>
    internal sealed class WorkloadResult
    {
        public string Workload { get; set; } = "";
        public long Size { get; set; }
        /// <summary>Records the workload read or wrote (checked against the size).</summary>
        public long Records { get; set; } = -1;
        /// <summary>Email groups with more than one lead, for the group-by-email workloads (checked across peers).</summary>
        public long? DuplicateGroups { get; set; }
        /// <summary>Wall time of each run inside the process, first (cold: JIT, caches) to last.</summary>
        public List<double> RunsMs { get; set; } = new List<double>();
        /// <summary>Time before the first run: PowerShell engine start and module import.</summary>
        public double? SetupMs { get; set; }
        /// <summary>Peak resident memory of the whole process (VmHWM / ru_maxrss).</summary>
        public long PeakBytes { get; set; }
        /// <summary>Wall time of the whole child process as the parent saw it (start to exit).</summary>
        public double ProcessMs { get; set; }
        public string? Note { get; set; }
        public string? Error { get; set; }

        [JsonIgnore]
        public double FirstMs => RunsMs.Count > 0 ? RunsMs[0] : ProcessMs;

        [JsonIgnore]
        public double BestMs => RunsMs.Count > 0 ? RunsMs.Min() : ProcessMs;

        [JsonIgnore]
        public bool Ok => Error == null;
    }
}
