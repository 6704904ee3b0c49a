# Module manifest for LeadTools. ModuleVersion here is the single source of the version:
# Directory.Build.props reads it for the assemblies and for the out/LeadTools/<version>/ layout.
@{
    RootModule             = 'LeadTools.PowerShell.dll'
    ModuleVersion          = '0.1.0'
    CompatiblePSEditions   = @('Desktop', 'Core')
    GUID                   = '5b0f4a52-6f3e-4d8e-9a51-2c7c1e0b7d41'
    Author                 = 'LeadTools'
    CompanyName            = 'LeadTools'
    Copyright              = '(c) LeadTools. All rights reserved.'
    Description            = 'Clean up and reconcile exported CRM records: import and export Salesforce, Dataverse and ActiveCampaign exports, convert leads, merge duplicates, match and sync.'
    PowerShellVersion      = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess       = @('LeadTools.format.ps1xml')
    TypesToProcess         = @('LeadTools.types.ps1xml')
    CmdletsToExport        = @(
        'Import-CrmRecord'
        'Export-CrmRecord'
        'Convert-LeadRecord'
        'Resolve-ContactKey'
        'Get-AlternateKey'
        'Add-AlternateKey'
        'Get-ContactHistory'
        'Test-ContactKeyDeletion'
        'New-FunnelStatusConfig'
        'Import-FunnelStatusConfig'
        'Get-ActiveResponse'
        'Test-FunnelIntegrity'
        'Get-MergeOutcome'
        'Merge-CrmRecord'
        'Undo-CrmMerge'
        'Export-CrmChangeSet'
        'Get-MergePlan'
        'Sync-PersonAccountTags'
        'Find-CrmDuplicate'
        'Test-CrmMatch'
        'Add-CrmLead'
        'Connect-OrphanedLead'
        'Sync-CrmRecord'
        'Get-CrmSyncState'
    )
    FunctionsToExport      = @()
    VariablesToExport      = @()
    AliasesToExport        = @()
    PrivateData            = @{
        PSData = @{
            Tags       = @('CRM', 'Salesforce', 'Dataverse', 'ActiveCampaign', 'Leads', 'Dedupe')
            ProjectUri = 'https://example.invalid/leadtools'
        }
    }
}
