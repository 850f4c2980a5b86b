//lint:file-ignore ST1003 the aliases keep pg_query's names (Node_TypeName, ObjectType_OBJECT_TABLE), so that code using them reads as pg_query's own documentation and generated code do

// Code that walks parse trees deeply (the SQL-file reader) names pg_query's
// node types and enum values through these aliases, so that this package
// stays the only importer of pg_query_go: the guard in front of the parser
// cannot be bypassed by accident, and a pg_query_go upgrade is one import
// path to change. Code that needs another node type or value adds its
// alias here (every ObjectType value is here already).

package pgparse

import (
	pg_query "github.com/pganalyze/pg_query_go/v5"
	"github.com/pganalyze/pg_query_go/v5/parser"
)

// ParseError is the error pg_query returns for text that does not parse,
// with the cursor position of the error.
type ParseError = parser.Error

// The parse tree's node types.
type (
	A_Const_Sval               = pg_query.A_Const_Sval
	AlterDefaultPrivilegesStmt = pg_query.AlterDefaultPrivilegesStmt
	AlterDomainStmt            = pg_query.AlterDomainStmt
	AlterEnumStmt              = pg_query.AlterEnumStmt
	AlterExtensionContentsStmt = pg_query.AlterExtensionContentsStmt
	AlterExtensionStmt         = pg_query.AlterExtensionStmt
	AlterFunctionStmt          = pg_query.AlterFunctionStmt
	AlterObjectSchemaStmt      = pg_query.AlterObjectSchemaStmt
	AlterOwnerStmt             = pg_query.AlterOwnerStmt
	AlterSeqStmt               = pg_query.AlterSeqStmt
	AlterTableCmd              = pg_query.AlterTableCmd
	AlterTableStmt             = pg_query.AlterTableStmt
	CollateClause              = pg_query.CollateClause
	ColumnDef                  = pg_query.ColumnDef
	ColumnRef                  = pg_query.ColumnRef
	CommentStmt                = pg_query.CommentStmt
	CompositeTypeStmt          = pg_query.CompositeTypeStmt
	Constraint                 = pg_query.Constraint
	CreateDomainStmt           = pg_query.CreateDomainStmt
	CreateEnumStmt             = pg_query.CreateEnumStmt
	CreateEventTrigStmt        = pg_query.CreateEventTrigStmt
	CreateExtensionStmt        = pg_query.CreateExtensionStmt
	CreateFdwStmt              = pg_query.CreateFdwStmt
	CreateForeignServerStmt    = pg_query.CreateForeignServerStmt
	CreateForeignTableStmt     = pg_query.CreateForeignTableStmt
	CreateFunctionStmt         = pg_query.CreateFunctionStmt
	CreatePolicyStmt           = pg_query.CreatePolicyStmt
	CreatePublicationStmt      = pg_query.CreatePublicationStmt
	CreateRangeStmt            = pg_query.CreateRangeStmt
	CreateRoleStmt             = pg_query.CreateRoleStmt
	CreateSchemaStmt           = pg_query.CreateSchemaStmt
	CreateSeqStmt              = pg_query.CreateSeqStmt
	CreateStatsStmt            = pg_query.CreateStatsStmt
	CreateStmt                 = pg_query.CreateStmt
	CreateTableAsStmt          = pg_query.CreateTableAsStmt
	CreateTrigStmt             = pg_query.CreateTrigStmt
	CreateUserMappingStmt      = pg_query.CreateUserMappingStmt
	DefineStmt                 = pg_query.DefineStmt
	DropStmt                   = pg_query.DropStmt
	FuncCall                   = pg_query.FuncCall
	GrantRoleStmt              = pg_query.GrantRoleStmt
	GrantStmt                  = pg_query.GrantStmt
	IndexStmt                  = pg_query.IndexStmt
	Node                       = pg_query.Node
	Node_ObjectWithArgs        = pg_query.Node_ObjectWithArgs
	NullTest                   = pg_query.NullTest
	ObjectType                 = pg_query.ObjectType
	ObjectWithArgs             = pg_query.ObjectWithArgs
	ParseResult                = pg_query.ParseResult
	RangeVar                   = pg_query.RangeVar
	RawStmt                    = pg_query.RawStmt
	RefreshMatViewStmt         = pg_query.RefreshMatViewStmt
	RenameStmt                 = pg_query.RenameStmt
	RoleSpec                   = pg_query.RoleSpec
	RuleStmt                   = pg_query.RuleStmt
	ScanToken                  = pg_query.ScanToken
	SecLabelStmt               = pg_query.SecLabelStmt
	SelectStmt                 = pg_query.SelectStmt
	Token                      = pg_query.Token
	TypeCast                   = pg_query.TypeCast
	TypeName                   = pg_query.TypeName
	VariableSetStmt            = pg_query.VariableSetStmt
	ViewStmt                   = pg_query.ViewStmt
)

// Values of AlterTableType.
const (
	AlterTableType_AT_AddColumn          = pg_query.AlterTableType_AT_AddColumn
	AlterTableType_AT_AddConstraint      = pg_query.AlterTableType_AT_AddConstraint
	AlterTableType_AT_AlterColumnType    = pg_query.AlterTableType_AT_AlterColumnType
	AlterTableType_AT_ChangeOwner        = pg_query.AlterTableType_AT_ChangeOwner
	AlterTableType_AT_DropColumn         = pg_query.AlterTableType_AT_DropColumn
	AlterTableType_AT_SetNotNull         = pg_query.AlterTableType_AT_SetNotNull
	AlterTableType_AT_ValidateConstraint = pg_query.AlterTableType_AT_ValidateConstraint
)

// Values of ConstrType.
const (
	ConstrType_CONSTR_CHECK     = pg_query.ConstrType_CONSTR_CHECK
	ConstrType_CONSTR_DEFAULT   = pg_query.ConstrType_CONSTR_DEFAULT
	ConstrType_CONSTR_EXCLUSION = pg_query.ConstrType_CONSTR_EXCLUSION
	ConstrType_CONSTR_FOREIGN   = pg_query.ConstrType_CONSTR_FOREIGN
	ConstrType_CONSTR_GENERATED = pg_query.ConstrType_CONSTR_GENERATED
	ConstrType_CONSTR_IDENTITY  = pg_query.ConstrType_CONSTR_IDENTITY
	ConstrType_CONSTR_PRIMARY   = pg_query.ConstrType_CONSTR_PRIMARY
	ConstrType_CONSTR_UNIQUE    = pg_query.ConstrType_CONSTR_UNIQUE
)

// Values of FunctionParameterMode.
const (
	FunctionParameterMode_FUNC_PARAM_OUT   = pg_query.FunctionParameterMode_FUNC_PARAM_OUT
	FunctionParameterMode_FUNC_PARAM_TABLE = pg_query.FunctionParameterMode_FUNC_PARAM_TABLE
)

// Values of GrantTargetType.
const (
	GrantTargetType_ACL_TARGET_ALL_IN_SCHEMA = pg_query.GrantTargetType_ACL_TARGET_ALL_IN_SCHEMA
	GrantTargetType_ACL_TARGET_OBJECT        = pg_query.GrantTargetType_ACL_TARGET_OBJECT
)

// Values of ObjectType.
const (
	ObjectType_OBJECT_ACCESS_METHOD         = pg_query.ObjectType_OBJECT_ACCESS_METHOD
	ObjectType_OBJECT_AGGREGATE             = pg_query.ObjectType_OBJECT_AGGREGATE
	ObjectType_OBJECT_AMOP                  = pg_query.ObjectType_OBJECT_AMOP
	ObjectType_OBJECT_AMPROC                = pg_query.ObjectType_OBJECT_AMPROC
	ObjectType_OBJECT_ATTRIBUTE             = pg_query.ObjectType_OBJECT_ATTRIBUTE
	ObjectType_OBJECT_CAST                  = pg_query.ObjectType_OBJECT_CAST
	ObjectType_OBJECT_COLLATION             = pg_query.ObjectType_OBJECT_COLLATION
	ObjectType_OBJECT_COLUMN                = pg_query.ObjectType_OBJECT_COLUMN
	ObjectType_OBJECT_CONVERSION            = pg_query.ObjectType_OBJECT_CONVERSION
	ObjectType_OBJECT_DATABASE              = pg_query.ObjectType_OBJECT_DATABASE
	ObjectType_OBJECT_DEFACL                = pg_query.ObjectType_OBJECT_DEFACL
	ObjectType_OBJECT_DEFAULT               = pg_query.ObjectType_OBJECT_DEFAULT
	ObjectType_OBJECT_DOMAIN                = pg_query.ObjectType_OBJECT_DOMAIN
	ObjectType_OBJECT_DOMCONSTRAINT         = pg_query.ObjectType_OBJECT_DOMCONSTRAINT
	ObjectType_OBJECT_EVENT_TRIGGER         = pg_query.ObjectType_OBJECT_EVENT_TRIGGER
	ObjectType_OBJECT_EXTENSION             = pg_query.ObjectType_OBJECT_EXTENSION
	ObjectType_OBJECT_FDW                   = pg_query.ObjectType_OBJECT_FDW
	ObjectType_OBJECT_FOREIGN_SERVER        = pg_query.ObjectType_OBJECT_FOREIGN_SERVER
	ObjectType_OBJECT_FOREIGN_TABLE         = pg_query.ObjectType_OBJECT_FOREIGN_TABLE
	ObjectType_OBJECT_FUNCTION              = pg_query.ObjectType_OBJECT_FUNCTION
	ObjectType_OBJECT_INDEX                 = pg_query.ObjectType_OBJECT_INDEX
	ObjectType_OBJECT_LANGUAGE              = pg_query.ObjectType_OBJECT_LANGUAGE
	ObjectType_OBJECT_LARGEOBJECT           = pg_query.ObjectType_OBJECT_LARGEOBJECT
	ObjectType_OBJECT_MATVIEW               = pg_query.ObjectType_OBJECT_MATVIEW
	ObjectType_OBJECT_OPCLASS               = pg_query.ObjectType_OBJECT_OPCLASS
	ObjectType_OBJECT_OPERATOR              = pg_query.ObjectType_OBJECT_OPERATOR
	ObjectType_OBJECT_OPFAMILY              = pg_query.ObjectType_OBJECT_OPFAMILY
	ObjectType_OBJECT_PARAMETER_ACL         = pg_query.ObjectType_OBJECT_PARAMETER_ACL
	ObjectType_OBJECT_POLICY                = pg_query.ObjectType_OBJECT_POLICY
	ObjectType_OBJECT_PROCEDURE             = pg_query.ObjectType_OBJECT_PROCEDURE
	ObjectType_OBJECT_PUBLICATION           = pg_query.ObjectType_OBJECT_PUBLICATION
	ObjectType_OBJECT_PUBLICATION_NAMESPACE = pg_query.ObjectType_OBJECT_PUBLICATION_NAMESPACE
	ObjectType_OBJECT_PUBLICATION_REL       = pg_query.ObjectType_OBJECT_PUBLICATION_REL
	ObjectType_OBJECT_ROLE                  = pg_query.ObjectType_OBJECT_ROLE
	ObjectType_OBJECT_ROUTINE               = pg_query.ObjectType_OBJECT_ROUTINE
	ObjectType_OBJECT_RULE                  = pg_query.ObjectType_OBJECT_RULE
	ObjectType_OBJECT_SCHEMA                = pg_query.ObjectType_OBJECT_SCHEMA
	ObjectType_OBJECT_SEQUENCE              = pg_query.ObjectType_OBJECT_SEQUENCE
	ObjectType_OBJECT_STATISTIC_EXT         = pg_query.ObjectType_OBJECT_STATISTIC_EXT
	ObjectType_OBJECT_SUBSCRIPTION          = pg_query.ObjectType_OBJECT_SUBSCRIPTION
	ObjectType_OBJECT_TABCONSTRAINT         = pg_query.ObjectType_OBJECT_TABCONSTRAINT
	ObjectType_OBJECT_TABLE                 = pg_query.ObjectType_OBJECT_TABLE
	ObjectType_OBJECT_TABLESPACE            = pg_query.ObjectType_OBJECT_TABLESPACE
	ObjectType_OBJECT_TRANSFORM             = pg_query.ObjectType_OBJECT_TRANSFORM
	ObjectType_OBJECT_TRIGGER               = pg_query.ObjectType_OBJECT_TRIGGER
	ObjectType_OBJECT_TSCONFIGURATION       = pg_query.ObjectType_OBJECT_TSCONFIGURATION
	ObjectType_OBJECT_TSDICTIONARY          = pg_query.ObjectType_OBJECT_TSDICTIONARY
	ObjectType_OBJECT_TSPARSER              = pg_query.ObjectType_OBJECT_TSPARSER
	ObjectType_OBJECT_TSTEMPLATE            = pg_query.ObjectType_OBJECT_TSTEMPLATE
	ObjectType_OBJECT_TYPE                  = pg_query.ObjectType_OBJECT_TYPE
	ObjectType_OBJECT_TYPE_UNDEFINED        = pg_query.ObjectType_OBJECT_TYPE_UNDEFINED
	ObjectType_OBJECT_USER_MAPPING          = pg_query.ObjectType_OBJECT_USER_MAPPING
	ObjectType_OBJECT_VIEW                  = pg_query.ObjectType_OBJECT_VIEW
)

// Values of NullTestType.
const (
	NullTestType_IS_NOT_NULL = pg_query.NullTestType_IS_NOT_NULL
)

// Values of VariableSetKind.
const (
	VariableSetKind_VAR_RESET       = pg_query.VariableSetKind_VAR_RESET
	VariableSetKind_VAR_SET_DEFAULT = pg_query.VariableSetKind_VAR_SET_DEFAULT
	VariableSetKind_VAR_SET_VALUE   = pg_query.VariableSetKind_VAR_SET_VALUE
)

// Values of RoleSpecType.
const (
	RoleSpecType_ROLESPEC_CSTRING      = pg_query.RoleSpecType_ROLESPEC_CSTRING
	RoleSpecType_ROLESPEC_CURRENT_USER = pg_query.RoleSpecType_ROLESPEC_CURRENT_USER
	RoleSpecType_ROLESPEC_PUBLIC       = pg_query.RoleSpecType_ROLESPEC_PUBLIC
	RoleSpecType_ROLESPEC_SESSION_USER = pg_query.RoleSpecType_ROLESPEC_SESSION_USER
)

// Values of Token.
const (
	Token_ADD_P       = pg_query.Token_ADD_P
	Token_AS          = pg_query.Token_AS
	Token_ASCII_40    = pg_query.Token_ASCII_40
	Token_ASCII_41    = pg_query.Token_ASCII_41
	Token_ASCII_44    = pg_query.Token_ASCII_44
	Token_ASCII_59    = pg_query.Token_ASCII_59
	Token_COLUMN      = pg_query.Token_COLUMN
	Token_CREATE      = pg_query.Token_CREATE
	Token_C_COMMENT   = pg_query.Token_C_COMMENT
	Token_ENUM_P      = pg_query.Token_ENUM_P
	Token_EXISTS      = pg_query.Token_EXISTS
	Token_IF_P        = pg_query.Token_IF_P
	Token_NOT         = pg_query.Token_NOT
	Token_SQL_COMMENT = pg_query.Token_SQL_COMMENT
)

// Values of TransactionStmtKind.
const (
	TransactionStmtKind_TRANS_STMT_BEGIN    = pg_query.TransactionStmtKind_TRANS_STMT_BEGIN
	TransactionStmtKind_TRANS_STMT_COMMIT   = pg_query.TransactionStmtKind_TRANS_STMT_COMMIT
	TransactionStmtKind_TRANS_STMT_ROLLBACK = pg_query.TransactionStmtKind_TRANS_STMT_ROLLBACK
	TransactionStmtKind_TRANS_STMT_START    = pg_query.TransactionStmtKind_TRANS_STMT_START
)
