package db

import "slices"

// CompanyKind classifies an organization.
type CompanyKind string

// ProjectSector is the industry a project belongs to.
type ProjectSector string

// ProjectStatus is how far a project has come, as last reported.
type ProjectStatus string

// ParticipantRole is the part a company plays in a project.
type ParticipantRole string

// AgreementKind classifies a signed document.
type AgreementKind string

// Metric names what a measurement measures.
type Metric string

// MeasurementStatus says whether a figure was reached or is aimed for.
type MeasurementStatus string

// MilestoneStatus says whether a milestone is planned or achieved.
type MilestoneStatus string

// Approximation says how a reported figure relates to the true one.
type Approximation string

// AgreementStatus says whether an agreement was signed, reached without a
// reported signing, or is planned.
type AgreementStatus string

// MeetingRole is the part a person played at a meeting, where stated.
type MeetingRole string

// EventKind classifies an event: a visit, a trip, a roundtable, ...
type EventKind string

// The values each enumeration accepts, in the order the schema lists them.
var (
	CompanyKinds = []CompanyKind{"COMPANY", "STATE_OWNED_COMPANY", "JOINT_VENTURE", "BANK",
		"MULTILATERAL_BANK", "STATE", "GOVERNMENT_BODY", "RESEARCH_INSTITUTE", "BUSINESS_ASSOCIATION", "OTHER"}
	ProjectSectors = []ProjectSector{"OIL_AND_GAS", "REFINING", "PETROCHEMICALS", "PIPELINES", "POWER",
		"RENEWABLES", "METALS_AND_MINING", "ROADS", "RAILWAYS", "DIGITAL", "FINANCE", "EDUCATION", "AGRICULTURE", "OTHER"}
	ProjectStatuses  = []ProjectStatus{"PROPOSED", "AGREED", "UNDER_CONSTRUCTION", "OPERATING", "COMPLETED"}
	ParticipantRoles = []ParticipantRole{"OWNER", "OPERATOR", "PARTNER", "INVESTOR", "CONTRACTOR", "FINANCIER", "TECHNOLOGY_PARTNER"}
	AgreementKinds   = []AgreementKind{"AGREEMENT", "COMMERCIAL_DOCUMENTS", "MEMORANDUM_OF_UNDERSTANDING",
		"AGREEMENT_OF_INTENT", "FINANCING_AGREEMENT", "JOINT_STATEMENT"}
	Metrics = []Metric{"PRODUCTION_CAPACITY", "PROCESSING_CAPACITY", "POWER_CAPACITY", "HEAT_CAPACITY",
		"THROUGHPUT_CAPACITY", "LENGTH", "SECTIONS", "LENGTH_OPEN_TO_TRAFFIC", "WORK_REMAINING", "INVESTMENT",
		"EMPLOYEES", "LOCAL_EMPLOYEE_SHARE", "COUNTRIES_OF_OPERATION", "PARTNERSHIP_YEARS", "BILATERAL_TRADE",
		"INVESTMENT_INFLOW", "INVESTOR_RANK"}
	MeasurementStatuses = []MeasurementStatus{"ACTUAL", "TARGET"}
	MilestoneStatuses   = []MilestoneStatus{"PLANNED", "ACHIEVED"}
	Approximations      = []Approximation{"EXACT", "ABOUT", "AT_LEAST", "UP_TO"}
	AgreementStatuses   = []AgreementStatus{"SIGNED", "REACHED", "PLANNED"}
	MeetingRoles        = []MeetingRole{"HOST", "GUEST", "DELEGATION_MEMBER"}
	EventKinds          = []EventKind{"STATE_VISIT", "VISIT", "WORKING_TRIP", "TALKS", "ROUNDTABLE",
		"BUSINESS_COUNCIL", "CEREMONY"}
)

// CapacityMetrics are the metrics Project.capacityHistory reports.
var CapacityMetrics = []Metric{"PRODUCTION_CAPACITY", "PROCESSING_CAPACITY", "POWER_CAPACITY", "HEAT_CAPACITY", "THROUGHPUT_CAPACITY"}

// IsCapacity reports whether m measures a capacity.
func (m Metric) IsCapacity() bool { return slices.Contains(CapacityMetrics, m) }
