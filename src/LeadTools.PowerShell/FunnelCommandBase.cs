using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using LeadTools.Core.Conversion;
using LeadTools.Core.Funnel;
using LeadTools.Core.Records;

namespace LeadTools.PowerShell
{
    /// <summary>Turns a path given to -Config into a loaded, validated status configuration.</summary>
    public sealed class FunnelConfigTransformationAttribute : ArgumentTransformationAttribute
    {
        /// <inheritdoc />
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            var value = inputData is PSObject pso ? pso.BaseObject : inputData;
            if (value == null) return null!; // -Config $null: no configuration (as if not given)
            if (value is FunnelConfig) return value;
            if (FunnelConfigObjects.IsConfigObject(inputData is PSObject wrapped && wrapped.BaseObject is PSCustomObject ? wrapped : value))
            {
                try
                {
                    return FunnelConfigObjects.Parse(inputData);
                }
                catch (ConfigurationException ex)
                {
                    throw new ArgumentTransformationMetadataException(ex.Message, ex);
                }
            }
            if (value is string path)
            {
                var full = engineIntrinsics.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
                try
                {
                    return FunnelConfig.Load(full);
                }
                catch (ConfigurationException ex)
                {
                    throw new ArgumentTransformationMetadataException(ex.Message, ex);
                }
            }
            throw new ArgumentTransformationMetadataException("-Config takes a status configuration (from Import-FunnelStatusConfig), the path of its JSON file, or a hashtable/object with the file's keys.");
        }
    }

    /// <summary>Shared by the funnel cmdlets: the configuration and sorting input records by object type.</summary>
    public abstract class FunnelCommandBase : PSCmdlet
    {
        private FunnelAnalyzer? _analyzer;

        /// <summary>The status configuration: an object from Import-FunnelStatusConfig or a JSON file path. Default: the built-in example (with a warning).</summary>
        [Parameter]
        [FunnelConfigTransformation]
        public FunnelConfig? Config { get; set; }

        /// <summary>The analyzer over the configuration.</summary>
        protected FunnelAnalyzer Analyzer
        {
            get
            {
                if (_analyzer == null)
                {
                    if (Config == null) WriteWarning("No -Config given: using the built-in example status configuration (New-FunnelStatusConfig writes it to a file to edit).");
                    _analyzer = new FunnelAnalyzer(Config ?? FunnelConfig.Example());
                }
                return _analyzer;
            }
        }

        /// <summary>People (leads, contacts) collected so far.</summary>
        protected List<CrmRecord> People { get; } = new List<CrmRecord>();

        /// <summary>Campaign members collected so far.</summary>
        protected List<CrmRecord> Memberships { get; } = new List<CrmRecord>();

        /// <summary>Sorts a record: leads and contacts are people, campaign members memberships, opportunities and campaigns context.</summary>
        protected void Take(CrmRecord record)
        {
            if (ObjectTypes.SameType(record.ObjectType, "CampaignMember")) Memberships.Add(record);
            else if (ObjectTypes.SameType(record.ObjectType, "Opportunity") || ObjectTypes.SameType(record.ObjectType, "Campaign")) Analyzer.AddContext(record);
            else if (ObjectTypes.SameType(record.ObjectType, "Lead") || ObjectTypes.SameType(record.ObjectType, "Contact")) People.Add(record);
        }

        /// <summary>Converts and sorts pipeline objects.</summary>
        protected void TakeAll(IEnumerable<PSObject>? items)
        {
            if (items == null) return;
            foreach (var item in items)
            {
                var record = RecordConversion.ToRecord(item, null);
                if (record == null)
                {
                    WriteError(Errors.Create(new ArgumentException("The input is not a record."), "InputNotRecord", ErrorCategory.InvalidArgument, item));
                    continue;
                }
                Take(record);
            }
        }
    }

    /// <summary>Shared by the funnel cmdlets that read a whole export: records in any order, plus related records.</summary>
    public abstract class FunnelExportCommandBase : FunnelCommandBase
    {
        /// <summary>Records of a whole export: leads and contacts, their campaign members, opportunities and campaigns, in any order.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        public PSObject[] InputObject { get; set; } = Array.Empty<PSObject>();

        /// <summary>Campaign members, opportunities and campaigns given apart from the people.</summary>
        [Parameter]
        public PSObject[]? RelatedRecord { get; set; }

        /// <summary>Collects.</summary>
        protected override void ProcessRecord() => TakeAll(InputObject);

        /// <summary>Takes the related records, then lets the command work on everything.</summary>
        protected override void EndProcessing()
        {
            TakeAll(RelatedRecord);
            Complete();
        }

        /// <summary>The command's work over <see cref="FunnelCommandBase.People"/> and <see cref="FunnelCommandBase.Memberships"/>.</summary>
        protected abstract void Complete();
    }
}
