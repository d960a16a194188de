import { categoryIds, facilityKinds } from '../../../api/domain/vocabulary.ts'
import { type TextKey, t } from '../i18n.ts'

/** The technology categories as <option>s, in the interface language. */
export function CategoryOptions() {
  return (
    <>
      {categoryIds.map((c) => (
        <option value={c} key={c}>
          {t(`category.${c}` as TextKey)}
        </option>
      ))}
    </>
  )
}

/** The kinds of site as <option>s. */
export function KindOptions() {
  return (
    <>
      {facilityKinds.map((k) => (
        <option value={k} key={k}>
          {t(`kind.${k}` as TextKey)}
        </option>
      ))}
    </>
  )
}
