/* errclass.h - names and one-line descriptions of the predefined MPI error classes.
 *
 * One table (errclass.c) covers MPI_SUCCESS and the error classes 1..MPI_ERR_ABI (62) of
 * the MPI 5.0 standard ABI. MPI_Error_string builds its message from these sentences plus
 * the call's detail; the launcher and tests use the names. User-added classes
 * (MPI_Add_error_class) are not in this table.
 */
#ifndef LM_ERRCLASS_H
#define LM_ERRCLASS_H

/* Highest predefined error class (MPI_ERR_ABI). */
#define LM_ERRCLASS_LAST 62

/* "MPI_ERR_RANK" for MPI_ERR_RANK, "MPI_SUCCESS" for 0; NULL for anything else. */
const char *lm_errclass_name(int cls);

/* A short sentence ("invalid rank"); NULL for a class not in the table. */
const char *lm_errclass_string(int cls);

#endif /* LM_ERRCLASS_H */
