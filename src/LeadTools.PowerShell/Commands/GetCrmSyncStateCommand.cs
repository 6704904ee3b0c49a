using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.IO;
using System.Linq;
using System.Management.Automation;
using LeadTools.Core.State;
using LeadTools.Core.Sync;

namespace LeadTools.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Shows the sync state Sync-CrmRecord keeps: the last sync time per object, the id links and the events waiting for their lead.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "CrmSyncState", DefaultParameterSetName = SummarySet)]
    [OutputType(typeof(SyncStateSummary), ParameterSetName = new[] { SummarySet })]
    [OutputType(typeof(SyncLink), ParameterSetName = new[] { LinkSet })]
    public sealed class GetCrmSyncStateCommand : PSCmdlet
    {
        private const string SummarySet = "Summary";
        private const string LinkSet = "Link";

        /// <summary>The state folder. Default: $env:LEADTOOLS_STATE, else the user's local application data folder (LeadTools).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? StatePath { get; set; }

        /// <summary>Return the id links (ObjectType, LocalId, SalesforceId) instead of the summary.</summary>
        [Parameter(Mandatory = true, ParameterSetName = LinkSet)]
        public SwitchParameter Link { get; set; }

        /// <summary>With -Link: only links of these object types (Lead, Contact, Campaign, ...).</summary>
        [Parameter(ParameterSetName = LinkSet)]
        [ValidateNotNullOrEmpty]
        public string[]? ObjectType { get; set; }

        /// <summary>With -Link: only the links of these local or Salesforce ids.</summary>
        [Parameter(ParameterSetName = LinkSet, ValueFromPipeline = true)]
        [ValidateNotNullOrEmpty]
        public string[]? Id { get; set; }

        private SyncState? _state;
        private string _file = "";

        /// <summary>Reads the state (without holding the lock: a running sync is not disturbed; an interrupted one is finished first when no sync runs).</summary>
        protected override void BeginProcessing()
        {
            var path = StatePath == null ? null : GetUnresolvedProviderPathFromPSPath(StatePath);
            var folder = StateFolder.Resolve(path);
            _file = Path.Combine(folder, SyncState.FileName);
            try
            {
                // Read-only: an interrupted sync run is finished first when no sync is running (the running one does it).
                using var session = SyncStateSession.Open(path, forWrite: false);
                foreach (var note in session.RecoveryNotes) WriteWarning(note);
                _state = session.State;
            }
            catch (StateLockedException ex)
            {
                ThrowTerminatingError(Errors.Create(ex, "StateLocked", ErrorCategory.ResourceBusy, _file));
            }
            catch (InvalidDataException ex)
            {
                ThrowTerminatingError(Errors.Create(ex, "StateCorrupt", ErrorCategory.InvalidData, _file));
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                ThrowTerminatingError(Errors.Create(ex, "StateUnavailable", ErrorCategory.OpenError, _file));
            }
            if (ParameterSetName == SummarySet) WriteObject(new SyncStateSummary(_file, File.Exists(_file), _state!));
        }

        /// <summary>Writes the links asked for (by id when ids come in).</summary>
        protected override void ProcessRecord()
        {
            if (ParameterSetName != LinkSet || Id == null) return;
            _idsGiven = true;
            foreach (var id in Id)
            {
                var found = false;
                foreach (var type in Types())
                {
                    var sf = _state!.SalesforceIdOf(type, id);
                    if (sf != null)
                    {
                        WriteObject(new SyncLink(type, id, sf));
                        found = true;
                    }
                    var local = _state.LocalIdOf(type, id);
                    if (local != null)
                    {
                        WriteObject(new SyncLink(type, local, id));
                        found = true;
                    }
                }
                if (!found) WriteVerbose($"No link for id '{id}'.");
            }
        }

        /// <summary>Without ids, writes every link (of the types asked for), in type and local-id order.</summary>
        protected override void EndProcessing()
        {
            if (ParameterSetName != LinkSet || _idsGiven) return;
            foreach (var type in Types())
            {
                foreach (var link in _state!.Links(type).OrderBy(l => l.Key, StringComparer.Ordinal)) WriteObject(new SyncLink(type, link.Key, link.Value));
            }
        }

        private bool _idsGiven;

        private IEnumerable<string> Types()
        {
            var known = _state!.LinkedTypes.OrderBy(t => t, StringComparer.Ordinal).ToList();
            if (ObjectType == null) return known;
            return known.Where(t => ObjectType.Any(o => string.Equals(o, t, StringComparison.OrdinalIgnoreCase)));
        }
    }

    /// <summary>What a sync state holds, in short.</summary>
    public sealed class SyncStateSummary
    {
        internal SyncStateSummary(string path, bool exists, SyncState state)
        {
            Path = path;
            Exists = exists;
            var last = new OrderedDictionary(StringComparer.OrdinalIgnoreCase);
            foreach (var name in SyncProfile.ObjectNames)
            {
                var t = state.LastSync(name);
                if (t != null) last[name] = t.Value.UtcDateTime;
            }
            foreach (var p in state.LastSyncTimes.Where(p => !SyncProfile.ObjectNames.Contains(p.Key, StringComparer.OrdinalIgnoreCase)).OrderBy(p => p.Key, StringComparer.Ordinal)) last[p.Key] = p.Value.UtcDateTime;
            LastSync = last;
            OrderedDictionary Marks(SyncSide side)
            {
                var marks = new OrderedDictionary(StringComparer.OrdinalIgnoreCase);
                foreach (var p in state.Watermarks(side).OrderBy(p => Array.IndexOf(SyncEngineKeys, p.Key) is var i && i < 0 ? int.MaxValue : i).ThenBy(p => p.Key, StringComparer.Ordinal)) marks[p.Key] = p.Value.UtcDateTime;
                return marks;
            }
            LocalWatermark = Marks(SyncSide.Local);
            SalesforceWatermark = Marks(SyncSide.Salesforce);
            SalesforceOrg = state.SalesforceOrg;
            LocalInstance = state.LocalInstance;
            var links = new OrderedDictionary(StringComparer.OrdinalIgnoreCase);
            foreach (var type in state.LinkedTypes.OrderBy(t => t, StringComparer.Ordinal)) links[type] = state.Links(type).Count();
            LinkCount = links;
            PendingEvents = state.PendingEvents.OrderBy(e => e, StringComparer.Ordinal).ToArray();
            LastSyncTime = state.LastSyncTimes.Count == 0 ? (DateTime?)null : state.LastSyncTimes.Values.Max().UtcDateTime;
        }

        private static readonly string[] SyncEngineKeys = SyncProfile.ObjectNames.ToArray();

        /// <summary>The state file.</summary>
        public string Path { get; }
        /// <summary>False before the first sync (no file yet: everything counts as modified).</summary>
        public bool Exists { get; }
        /// <summary>The most recent last-sync time of any object (UTC), or null before the first sync.</summary>
        public DateTime? LastSyncTime { get; }
        /// <summary>The time of the last run per object (Accounts, Campaigns, ... ; UTC; the wall clock, shown only: the watermarks select records).</summary>
        public OrderedDictionary LastSync { get; }
        /// <summary>Per object, the newest local modification time the last synced local snapshot held (UTC): local records modified after it are taken by the next run.</summary>
        public OrderedDictionary LocalWatermark { get; }
        /// <summary>Per object, the newest Salesforce modification time the last synced Salesforce snapshot held (UTC).</summary>
        public OrderedDictionary SalesforceWatermark { get; }
        /// <summary>The Salesforce org this state belongs to (-SalesforceOrg of the first run), or null.</summary>
        public string? SalesforceOrg { get; }
        /// <summary>The local instance this state belongs to (-LocalInstance of the first run), or null.</summary>
        public string? LocalInstance { get; }
        /// <summary>The number of id links per object type.</summary>
        public OrderedDictionary LinkCount { get; }
        /// <summary>Local events not pushed yet because their lead has no Salesforce id.</summary>
        public string[] PendingEvents { get; }
    }
}
